import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { loadSeedFile } from './loadSeed';
import { Seed } from './schema';

const SEED_FILE = join('examples', 'sandbox-seed.yaml');

/**
 * Where the repository keeps the default seed, the design document's estate: the
 * nearest examples/ above this package, found from its package.json so that the
 * lookup works from sources and from a build alike.
 */
export function defaultSeedPath(): string {
  const packageDir = dirname(
    require.resolve('@regional-minting/aws-sandbox/package.json'),
  );
  for (let dir = packageDir; ; dir = dirname(dir)) {
    const candidate = join(dir, SEED_FILE);
    if (existsSync(candidate)) return candidate;
    if (dirname(dir) === dir) {
      throw new Error(
        `no default seed: ${SEED_FILE} was not found above ${packageDir}; pass a seed`,
      );
    }
  }
}

export function defaultSeed(): Seed {
  return loadSeedFile(defaultSeedPath());
}
