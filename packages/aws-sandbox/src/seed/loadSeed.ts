import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { ZodError } from 'zod';
import { Seed, seedSchema } from './schema';

function describe(error: ZodError): string {
  return error.issues
    .map(issue => `${issue.path.join('.') || '(top level)'}: ${issue.message}`)
    .join('; ');
}

/** Checks a parsed seed. @throws Error naming each field and the rule it breaks. */
export function parseSeed(data: unknown, source = 'seed'): Seed {
  const result = seedSchema.safeParse(data ?? {});
  if (!result.success) {
    throw new Error(`${source}: ${describe(result.error)}`);
  }
  const seed = result.data;
  const seen = new Map<string, string>();
  const all = [
    ...seed.accounts.map((a, i) => [`accounts.${i}`, a] as const),
    ...seed.organizations.flatMap((o, i) => [
      [`organizations.${i}.managementAccount`, o.managementAccount] as const,
      ...o.accounts.map(
        (a, j) => [`organizations.${i}.accounts.${j}`, a] as const,
      ),
    ]),
  ];
  for (const [path, account] of all) {
    for (const key of [account.id, account.email.toLowerCase()]) {
      if (key && seen.has(key)) {
        throw new Error(
          `${source}: ${path}: ${key} is used by ${seen.get(key)} too`,
        );
      }
      if (key) seen.set(key, path);
    }
  }
  return seed;
}

/** Reads a YAML seed file. */
export function loadSeedFile(path: string): Seed {
  let data: unknown;
  try {
    data = parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new Error(`seed ${path}: ${(error as Error).message}`);
  }
  return parseSeed(data, `seed ${path}`);
}
