import {
  DesiredAccount,
  PlanResponse,
  RegionSummary,
  RunRecord,
} from '@regional-minting/plugin-account-minting-common';

const REGION = 'dev-kirk-us-east-2';

function desired(role: string, suffix: string, index: number): DesiredAccount {
  const name = `${REGION}-${suffix}`;
  return {
    name,
    email: `aws+${name}@example.com`,
    role,
    index,
    tags: { 'managed-by': 'account-minting' },
  };
}

/**
 * The region of the estate fixture's dev-kirk-us-east-2, as `GET /regions/{name}`
 * answers it: requested by kirk, one regional-cluster and two management-cluster accounts.
 */
export function testRegion(fields: Partial<RegionSummary> = {}): RegionSummary {
  return {
    name: REGION,
    environment: 'dev',
    region: 'us-east-2',
    owner: 'kirk',
    payer: 'staging-2',
    ouPath: ['rosa-regional-platform', 'dev', REGION],
    source: 'request',
    status: 'active',
    requestedBy: 'user:default/kirk',
    requestedAt: '2026-11-28T09:55:00.000Z',
    accounts: [
      desired('regional-cluster', 'rc', 0),
      desired('management-cluster', 'mc0', 0),
      desired('management-cluster', 'mc1', 1),
    ],
    lastRun: testRunRecord('run-1', { status: 'succeeded' }),
    ...fields,
  };
}

export function testRunRecord(
  id: string,
  fields: Partial<RunRecord> = {},
): RunRecord {
  return {
    id,
    pipeline: 'region',
    mode: 'apply',
    region: REGION,
    status: 'queued',
    requestedBy: 'user:default/kirk',
    createdAt: '2026-11-28T10:00:00.000Z',
    ...fields,
  };
}

/** The dry run of the region's decommission: its three accounts closed, its OU deleted. */
export function decommissionPlan(): PlanResponse {
  const accounts = ['rc', 'mc0', 'mc1'].map(s => `${REGION}-${s}`);
  return {
    region: REGION,
    plan: {
      region: REGION,
      payer: 'staging-2',
      changes: 6,
      actions: [
        {
          action: 'destroy',
          target: `${REGION}-rc/cluster`,
          provisioner: 'terraform',
          reason: 'its provisioner destroys what it applied',
        },
        {
          action: 'leave-in-place',
          target: `${REGION}-mc0/dns`,
          reason: 'the command provisioner has no destroy',
        },
        ...accounts.map(target => ({
          action: 'close-account' as const,
          target,
          reason: 'the region is decommissioned',
        })),
        {
          action: 'delete-ou',
          target: REGION,
          reason: 'the region OU is empty once its accounts leave',
        },
      ],
      closeQuota: {
        payer: 'staging-2',
        limit: 10,
        limitSource: 'computed',
        used: 8,
        left: 2,
        needed: 3,
        windowDays: 30,
        nextSlotAt: '2026-12-05T10:00:00.000Z',
      },
    },
  };
}
