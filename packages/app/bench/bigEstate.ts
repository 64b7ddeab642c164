import type {
  Estate,
  EstateAccount,
  EstateLastRun,
} from '@regional-minting/plugin-account-minting-common';
import {
  ACCOUNTS_PER_REGION,
  BIG_ESTATE_LAYOUT,
  bigRegionName,
} from './bigEstateSeed';

/** An estate of 3,000 accounts: 1,000 region OUs of 3 accounts, some failed, some running. */
export function bigEstate(): Estate {
  const statusOf = (i: number): EstateLastRun['status'] => {
    if (i % 97 === 0) return 'failed';
    if (i % 89 === 0) return 'running';
    return 'succeeded';
  };
  const result = (i: number): EstateLastRun => ({
    runId: `run-${i}`,
    status: statusOf(i),
    startedAt: '2026-11-28T10:00:00.000Z',
    finishedAt: i % 89 === 0 ? undefined : '2026-11-28T10:04:00.000Z',
  });
  let n = 0;
  return {
    observedAt: new Date().toISOString(),
    platformOu: 'rosa-regional-platform',
    payers: BIG_ESTATE_LAYOUT.map(([payer, environment, regions], p) => ({
      name: payer,
      accountId: `${p + 2}00000000001`,
      platformOu: { name: 'rosa-regional-platform', id: `ou-${p}` },
      environments: [
        {
          name: environment,
          id: `ou-${p}-${environment}`,
          regions: Array.from({ length: regions }, (_, r) => {
            const name = bigRegionName(environment, r);
            const accounts: EstateAccount[] = Array.from(
              { length: ACCOUNTS_PER_REGION },
              (__, a) => {
                n++;
                return {
                  name: `${name}-${['rc', 'mc0', 'mc1'][a]}`,
                  id: String(100000000000 + n),
                  email: `aws+${name}-${a}@example.com`,
                  status: 'ACTIVE',
                  role: a === 0 ? 'regional-cluster' : 'management-cluster',
                  tags: {
                    'managed-by': 'account-minting',
                    region: 'us-east-2',
                  },
                  desired: true,
                  observed: true,
                  lastRuns: {
                    mint: result(n),
                    bootstrap: result(n + 1),
                    provision: result(n + 2),
                  },
                };
              },
            );
            return {
              name,
              id: `ou-${name}`,
              desired: true,
              observed: true,
              source: 'request' as const,
              region: 'us-east-2',
              lastRun: result(n),
              accounts,
            };
          }),
        },
      ],
    })),
  };
}
