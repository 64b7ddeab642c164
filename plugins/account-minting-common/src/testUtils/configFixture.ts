import { MintingConfigView } from '../config';

/** The configuration as `GET /config` answers it for the sandbox's estate: prod, int, stage and dev. */
export function configFixture(): MintingConfigView {
  return {
    platformOu: 'rosa-regional-platform',
    payers: [
      { name: 'control', accountId: '200000000001' },
      { name: 'staging-1', accountId: '300000000001' },
      { name: 'staging-2', accountId: '400000000001' },
    ],
    environments: [
      {
        name: 'prod',
        payer: 'control',
        regionOu: '{environment}-{region}',
        regions: ['us-east-1', 'eu-west-2'],
        needsOwner: false,
      },
      {
        name: 'int',
        payer: 'staging-1',
        regionOu: '{environment}-{region}',
        regions: ['us-east-2'],
        needsOwner: false,
      },
      {
        name: 'stage',
        payer: 'staging-1',
        regionOu: '{environment}-{region}',
        regions: ['us-east-1', 'eu-west-2'],
        needsOwner: false,
      },
      {
        name: 'dev',
        payer: 'staging-2',
        regionOu: '{environment}-{owner}-{region}',
        regions: ['us-east-1', 'us-east-2', 'eu-west-1', 'eu-west-2'],
        needsOwner: true,
      },
    ],
    accountRoles: [
      { name: 'regional-cluster', suffix: 'rc', count: 1, maxCount: 1 },
      { name: 'management-cluster', suffix: 'mc', count: 2, maxCount: 10 },
    ],
  };
}

/** The configuration with changes in `environment` waiting for two approvals. */
export function withApproval(
  config: MintingConfigView,
  environment: string,
): MintingConfigView {
  return {
    ...config,
    environments: config.environments.map(e =>
      e.name === environment
        ? {
            ...e,
            approval: {
              approvers: 2,
              group: 'group:default/platform-approvers',
              reasonRequired: true,
            },
          }
        : e,
    ),
  };
}
