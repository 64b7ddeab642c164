import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parse, stringify } from 'yaml';

/** Payer, environment and how many region OUs of 3 accounts it holds: 3,000 accounts in all. */
export const BIG_ESTATE_LAYOUT: [string, string, number][] = [
  ['control', 'prod', 250],
  ['staging-1', 'stage', 250],
  ['staging-2', 'dev', 500],
];
export const ACCOUNTS_PER_REGION = 3;
const SUFFIXES = ['rc', 'mc0', 'mc1'];
const PLATFORM_OU = 'rosa-regional-platform';

const ROOT = join(__dirname, '..', '..', '..');

/** The name of a region OU of the big estate, as the product names them (environment, owner, region). */
export function bigRegionName(environment: string, index: number): string {
  return `${environment}-owner${index}-us-east-2`;
}

/**
 * Writes the sandbox seed of the big estate: the default seed's central account and payers,
 * each payer's organization holding its region OUs below the platform OU with 3 accounts
 * each, tagged as the product tags what it mints. Returns the file's path.
 */
export function writeBigEstateSeed(
  path = join(ROOT, '.sandbox', 'bench-seed.yaml'),
): string {
  const seed = parse(
    readFileSync(join(ROOT, 'examples', 'sandbox-seed.yaml'), 'utf8'),
  );
  for (const [payer, environment, regions] of BIG_ESTATE_LAYOUT) {
    const organization = seed.organizations.find(
      (o: { name: string }) => o.name === payer,
    );
    organization.accountQuota = regions * ACCOUNTS_PER_REGION + 10;
    organization.organizationalUnits = [];
    organization.accounts = [];
    for (let r = 0; r < regions; r++) {
      const regionOu = bigRegionName(environment, r);
      const ou = `${PLATFORM_OU}/${environment}/${regionOu}`;
      organization.organizationalUnits.push(ou);
      SUFFIXES.slice(0, ACCOUNTS_PER_REGION).forEach((suffix, index) => {
        const name = `${regionOu}-${suffix}`;
        organization.accounts.push({
          name,
          email: `aws+${name}@example.com`,
          ou,
          tags: {
            'managed-by': 'account-minting',
            environment,
            region: 'us-east-2',
            'region-ou': regionOu,
            role: index === 0 ? 'regional-cluster' : 'management-cluster',
            index: String(index === 0 ? 0 : index - 1),
          },
        });
      });
    }
  }
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, stringify(seed));
  return path;
}
