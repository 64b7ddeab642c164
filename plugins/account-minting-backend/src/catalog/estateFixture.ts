import {
  Estate,
  EstateAccount,
} from '@regional-minting/plugin-account-minting-common';

function account(
  name: string,
  role: string,
  options: Partial<EstateAccount> = {},
): EstateAccount {
  return {
    name,
    role,
    tags: {},
    desired: true,
    observed: Boolean(options.id),
    lastRuns: {},
    ...options,
  };
}

/**
 * An estate as `GET /estate` answers it: a declared prod region, partly minted, and an
 * observed-only region and account in control; two requested dev regions in staging-2.
 */
export function estateFixture(): Estate {
  return {
    observedAt: '2026-12-01T10:00:00.000Z',
    platformOu: 'rosa-regional-platform',
    payers: [
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
                accounts: [
                  account('prod-us-east-1-rc', 'regional-cluster', {
                    id: '200000000101',
                    status: 'ACTIVE',
                  }),
                  account('prod-us-east-1-mc0', 'management-cluster'),
                  // In the region OU, but no desired region has it.
                  account('prod-us-east-1-old', 'management-cluster', {
                    id: '200000000199',
                    role: undefined,
                    desired: false,
                  }),
                ],
              },
              {
                // A region OU AWS has that is no longer desired.
                name: 'prod-eu-west-2',
                id: 'ou-ctrl-euw2',
                desired: false,
                observed: true,
                accounts: [
                  account('prod-eu-west-2-rc', 'regional-cluster', {
                    id: '200000000201',
                    role: undefined,
                    desired: false,
                  }),
                ],
              },
            ],
          },
        ],
      },
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
                accounts: [
                  account('dev-kirk-us-east-2-rc', 'regional-cluster', {
                    id: '400000000101',
                  }),
                  account('dev-kirk-us-east-2-mc0', 'management-cluster', {
                    id: '400000000102',
                  }),
                ],
              },
              {
                // Requested by the scaffolder on nobody's behalf: the configured owner owns it.
                name: 'dev-spock-eu-west-1',
                desired: true,
                observed: false,
                source: 'request',
                region: 'eu-west-1',
                owner: 'spock',
                requestedBy: 'plugin:scaffolder',
                accounts: [
                  account('dev-spock-eu-west-1-rc', 'regional-cluster'),
                ],
              },
            ],
          },
        ],
      },
    ],
  };
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
