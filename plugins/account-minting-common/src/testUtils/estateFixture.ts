import {
  Estate,
  EstateAccount,
  EstateLastRun,
  EstateRegion,
} from '../api/types';

const done = (runId: string, status = 'succeeded'): EstateLastRun => ({
  runId,
  status: status as EstateLastRun['status'],
  startedAt: '2026-11-28T10:00:00.000Z',
  finishedAt: '2026-11-28T10:05:00.000Z',
});

const running = (runId: string): EstateLastRun => ({
  runId,
  status: 'running',
  startedAt: '2026-11-28T10:05:30.000Z',
});

/** An account AWS has, tagged with its AWS region, whose pipelines all succeeded in run-1, unless overridden. */
function account(
  name: string,
  id: string | undefined,
  awsRegion: string,
  overrides: Partial<EstateAccount> = {},
): EstateAccount {
  return {
    name,
    id,
    email: `aws+${name}@example.com`,
    status: 'ACTIVE',
    role: name.endsWith('rc') ? 'regional-cluster' : 'management-cluster',
    tags: { 'managed-by': 'account-minting', region: awsRegion },
    desired: true,
    observed: true,
    lastRuns: {
      mint: done('run-1'),
      bootstrap: done('run-1'),
      provision: done('run-1'),
    },
    ...overrides,
  };
}

/** A desired account AWS does not have yet. */
function notCreated(
  name: string,
  overrides: Partial<EstateAccount> = {},
): EstateAccount {
  return account(name, undefined, '', {
    email: undefined,
    status: undefined,
    tags: {},
    observed: false,
    lastRuns: {},
    ...overrides,
  });
}

/** An account in a region OU that no desired region has. */
function stray(name: string, id: string, awsRegion: string): EstateAccount {
  return account(name, id, awsRegion, {
    role: undefined,
    desired: false,
    lastRuns: {},
  });
}

/**
 * An estate as `GET /estate` answers it, with one of everything the portal and the catalog
 * show: in staging-2, a requested dev region minted with a failed provisioning, one being
 * minted that the scaffolder requested on nobody's behalf, and a region OU with a stray
 * account; staging-1, whose organization could not be read; in control, a prod region
 * declared in configuration and partly minted, with a stray account, and a region OU that
 * is no longer desired.
 */
export function estateFixture(): Estate {
  return {
    observedAt: '2026-11-28T10:06:00.000Z',
    platformOu: 'rosa-regional-platform',
    payers: [
      {
        name: 'staging-2',
        accountId: '400000000001',
        platformOu: { name: 'rosa-regional-platform', id: 'ou-stg2-plat' },
        environments: [
          {
            name: 'dev',
            id: 'ou-stg2-dev',
            regions: [
              {
                name: 'dev-kirk-us-east-2',
                id: 'ou-stg2-kirk',
                desired: true,
                observed: true,
                source: 'request',
                region: 'us-east-2',
                owner: 'kirk',
                requestedBy: 'user:default/kirk',
                lastRun: done('run-1'),
                accounts: [
                  account('dev-kirk-us-east-2-rc', '400000000101', 'us-east-2'),
                  account(
                    'dev-kirk-us-east-2-mc0',
                    '400000000102',
                    'us-east-2',
                  ),
                  account(
                    'dev-kirk-us-east-2-mc1',
                    '400000000103',
                    'us-east-2',
                    {
                      lastRuns: {
                        mint: done('run-1'),
                        bootstrap: done('run-1'),
                        provision: done('run-2', 'failed'),
                      },
                    },
                  ),
                ],
              },
              {
                name: 'dev-spock-eu-west-1',
                desired: true,
                observed: false,
                source: 'request',
                region: 'eu-west-1',
                owner: 'spock',
                requestedBy: 'plugin:scaffolder',
                lastRun: running('run-3'),
                accounts: [
                  notCreated('dev-spock-eu-west-1-rc', {
                    lastRuns: { mint: running('run-3') },
                  }),
                ],
              },
              {
                name: 'dev-uhura-us-east-2',
                id: 'ou-stg2-uhura',
                desired: false,
                observed: true,
                accounts: [stray('stray-sandbox', '400000000901', 'us-east-2')],
              },
            ],
          },
        ],
      },
      {
        name: 'staging-1',
        accountId: '300000000001',
        error:
          'could not read the staging-1 organization: AccessDenied: not allowed to assume AccountMinter',
        platformOu: { name: 'rosa-regional-platform' },
        environments: [{ name: 'stage', regions: [] }],
      },
      {
        name: 'control',
        accountId: '200000000001',
        platformOu: { name: 'rosa-regional-platform', id: 'ou-ctrl-plat' },
        environments: [
          {
            name: 'prod',
            id: 'ou-ctrl-prod',
            regions: [
              {
                name: 'prod-us-east-1',
                id: 'ou-ctrl-use1',
                desired: true,
                observed: true,
                source: 'config',
                region: 'us-east-1',
                lastRun: done('run-4'),
                accounts: [
                  account('prod-us-east-1-rc', '200000000101', 'us-east-1', {
                    lastRuns: {
                      mint: done('run-4'),
                      bootstrap: done('run-4'),
                      provision: done('run-4'),
                    },
                  }),
                  notCreated('prod-us-east-1-mc0'),
                  stray('prod-us-east-1-old', '200000000199', 'us-east-1'),
                ],
              },
              {
                name: 'prod-eu-west-2',
                id: 'ou-ctrl-euw2',
                desired: false,
                observed: true,
                accounts: [
                  stray('prod-eu-west-2-rc', '200000000201', 'eu-west-2'),
                ],
              },
            ],
          },
        ],
      },
    ],
  };
}

/** The region of the estate named so. */
export function regionNamed(estate: Estate, name: string): EstateRegion {
  const found = estate.payers
    .flatMap(payer => payer.environments)
    .flatMap(environment => environment.regions)
    .find(region => region.name === name);
  if (!found) throw new Error(`no region ${name} in the estate`);
  return found;
}

/** The estate with one account no longer desired (AWS still has it). */
export function withoutAccount(estate: Estate, name: string): Estate {
  return {
    ...estate,
    payers: estate.payers.map(payer => ({
      ...payer,
      environments: payer.environments.map(environment => ({
        ...environment,
        regions: environment.regions.map(region => ({
          ...region,
          accounts: region.accounts.map(a =>
            a.name === name ? { ...a, desired: false, role: undefined } : a,
          ),
        })),
      })),
    })),
  };
}
