import { createPermission } from '@backstage/plugin-permission-common';

/** The resource type of environments: a policy can allow new regions in dev and not in prod. */
export const ACCOUNT_MINTING_ENVIRONMENT_RESOURCE_TYPE =
  'account-minting-environment';

/** Read the estate, the regions, the runs and their logs. */
export const accountMintingReadPermission = createPermission({
  name: 'account-minting.estate.read',
  attributes: { action: 'read' },
});

/** Request a new region in an environment (the resource ref is the environment's name). */
export const accountMintingRegionCreatePermission = createPermission({
  name: 'account-minting.region.create',
  attributes: { action: 'create' },
  resourceType: ACCOUNT_MINTING_ENVIRONMENT_RESOURCE_TYPE,
});

/** Start a pipeline out of band, retry a run or repair a drift finding, in an environment. */
export const accountMintingRunExecutePermission = createPermission({
  name: 'account-minting.run.execute',
  attributes: { action: 'update' },
  resourceType: ACCOUNT_MINTING_ENVIRONMENT_RESOURCE_TYPE,
});

/** Cancel a run in an environment. */
export const accountMintingRunCancelPermission = createPermission({
  name: 'account-minting.run.cancel',
  attributes: { action: 'update' },
  resourceType: ACCOUNT_MINTING_ENVIRONMENT_RESOURCE_TYPE,
});

/**
 * Decommission a region or some of its accounts in an environment, a scale down
 * included: it closes AWS accounts, which only AWS support can reopen.
 */
export const accountMintingRegionDecommissionPermission = createPermission({
  name: 'account-minting.region.decommission',
  attributes: { action: 'delete' },
  resourceType: ACCOUNT_MINTING_ENVIRONMENT_RESOURCE_TYPE,
});

/** Start a drift check of the whole estate now: it reads AWS and changes nothing. */
export const accountMintingDriftCheckPermission = createPermission({
  name: 'account-minting.drift.check',
  attributes: { action: 'read' },
});

/** Approve or reject another person's change request in an environment that needs approval. */
export const accountMintingChangeApprovePermission = createPermission({
  name: 'account-minting.change.approve',
  attributes: { action: 'update' },
  resourceType: ACCOUNT_MINTING_ENVIRONMENT_RESOURCE_TYPE,
});

export const accountMintingPermissions = [
  accountMintingReadPermission,
  accountMintingRegionCreatePermission,
  accountMintingRunExecutePermission,
  accountMintingRunCancelPermission,
  accountMintingRegionDecommissionPermission,
  accountMintingDriftCheckPermission,
  accountMintingChangeApprovePermission,
];
