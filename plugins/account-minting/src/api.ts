import { createApiRef } from '@backstage/frontend-plugin-api';
import { AccountMintingApi } from '@regional-minting/plugin-account-minting-common';

/** The account-minting backend's API, as the portal reaches it. */
export const accountMintingApiRef = createApiRef<AccountMintingApi>({
  id: 'plugin.account-minting.api',
});
