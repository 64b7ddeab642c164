import { usePermission } from '@backstage/plugin-permission-react';
import { accountMintingRunExecutePermission } from '@regional-minting/plugin-account-minting-common';

/**
 * Whether the user may change a region of an environment (scale, decommission,
 * adopt): the permission that starts its runs, as the backend checks it.
 */
export function usePermissionToChange(environment: string): boolean {
  return usePermission({
    permission: accountMintingRunExecutePermission,
    resourceRef: environment,
  }).allowed;
}
