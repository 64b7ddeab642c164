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

/** Start a pipeline out of band, or retry a run. */
export const accountMintingRunExecutePermission = createPermission({
  name: 'account-minting.run.execute',
  attributes: { action: 'update' },
});

/** Cancel a run. */
export const accountMintingRunCancelPermission = createPermission({
  name: 'account-minting.run.cancel',
  attributes: { action: 'update' },
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
  accountMintingChangeApprovePermission,
];
