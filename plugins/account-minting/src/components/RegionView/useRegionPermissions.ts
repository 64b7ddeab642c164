import { usePermission } from '@backstage/plugin-permission-react';
import {
  accountMintingRegionCreatePermission,
  accountMintingRegionDecommissionPermission,
} from '@regional-minting/plugin-account-minting-common';

/**
 * What the user may do to the regions of an environment, as the backend checks it:
 * add accounts (scale up, adopt) and close accounts (decommission, scale down).
 */
export function useRegionPermissions(environment: string): {
  create: boolean;
  decommission: boolean;
} {
  const create = usePermission({
    permission: accountMintingRegionCreatePermission,
    resourceRef: environment,
  }).allowed;
  const decommission = usePermission({
    permission: accountMintingRegionDecommissionPermission,
    resourceRef: environment,
  }).allowed;
  return { create, decommission };
}
