import {
  Estate,
  EstateAccount,
  EstateLastRun,
} from '@regional-minting/plugin-account-minting-common';

const done = (runId: string, status = 'succeeded'): EstateLastRun => ({
  runId,
  status: status as EstateLastRun['status'],
  startedAt: '2026-11-28T10:00:00.000Z',
  finishedAt: '2026-11-28T10:05:00.000Z',
});

function account(
  name: string,
  overrides: Partial<EstateAccount> = {},
): EstateAccount {
  return {
    name,
    id: `1111${name.length}`,
    email: `aws+${name}@example.com`,
    status: 'ACTIVE',
    role: name.endsWith('rc') ? 'regional-cluster' : 'management-cluster',
    tags: { 'managed-by': 'account-minting', region: 'us-east-2' },
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

/**
 * An estate with one of everything the tree shows: a healthy region, one with a
 * failed provisioning, one being minted, a stray account and an unreadable payer.
 */
export function estateFixture(): Estate {
  return {
    observedAt: '2026-11-28T10:06:00.000Z',
    platformOu: 'rosa-regional-platform',
    payers: [
      {
        name: 'staging-2',
        accountId: '400000000001',
        platformOu: { name: 'rosa-regional-platform', id: 'ou-p' },
        environments: [
          {
            name: 'dev',
            id: 'ou-dev',
            regions: [
              {
                name: 'dev-kirk-us-east-2',
                id: 'ou-kirk',
                desired: true,
                observed: true,
                source: 'request',
                region: 'us-east-2',
                owner: 'kirk',
                lastRun: done('run-1'),
                accounts: [
                  account('dev-kirk-us-east-2-rc'),
                  account('dev-kirk-us-east-2-mc0'),
                  account('dev-kirk-us-east-2-mc1', {
                    lastRuns: {
                      mint: done('run-1'),
                      bootstrap: done('run-1'),
                      provision: done('run-2', 'failed'),
                    },
                  }),
                ],
              },
              {
                name: 'dev-spock-eu-west-1',
                desired: true,
                observed: false,
                source: 'request',
                region: 'eu-west-1',
                owner: 'spock',
                lastRun: {
                  runId: 'run-3',
                  status: 'running',
                  startedAt: '2026-11-28T10:05:30.000Z',
                },
                accounts: [
                  account('dev-spock-eu-west-1-rc', {
                    id: undefined,
                    status: undefined,
                    tags: {},
                    observed: false,
                    lastRuns: {
                      mint: {
                        runId: 'run-3',
                        status: 'running',
                        startedAt: '2026-11-28T10:05:30.000Z',
                      },
                    },
                  }),
                ],
              },
              {
                name: 'dev-uhura-us-east-2',
                id: 'ou-uhura',
                desired: false,
                observed: true,
                accounts: [
                  account('stray-sandbox', {
                    role: undefined,
                    desired: false,
                    lastRuns: {},
                  }),
                ],
              },
            ],
          },
        ],
      },
      {
        name: 'control',
        accountId: '200000000001',
        error:
          'could not read the control organization: AccessDenied: not allowed to assume AccountMinter',
        platformOu: { name: 'rosa-regional-platform' },
        environments: [{ name: 'prod', regions: [] }],
      },
    ],
  };
}
