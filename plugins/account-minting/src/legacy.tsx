import {
  createApiFactory,
  createPlugin,
  createRoutableExtension,
  createRouteRef,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/core-plugin-api';
import { AccountMintingClient } from '@regional-minting/plugin-account-minting-common';
import { accountMintingApiRef } from './api';

const legacyRootRouteRef = createRouteRef({ id: 'account-minting' });

/**
 * The account-minting plugin for apps still on the legacy frontend system.
 *
 * @public
 */
export const accountMintingLegacyPlugin = createPlugin({
  id: 'account-minting',
  apis: [
    createApiFactory({
      api: accountMintingApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new AccountMintingClient({ discoveryApi, fetchApi }),
    }),
  ],
  routes: { root: legacyRootRouteRef },
});

/**
 * The account-minting page for legacy apps:
 * `<Route path="/account-minting" element={<AccountMintingPage />} />`.
 *
 * @public
 */
export const AccountMintingPage = accountMintingLegacyPlugin.provide(
  createRoutableExtension({
    name: 'AccountMintingPage',
    component: () =>
      import('./components/AccountMintingPage').then(m => m.AccountMintingPage),
    mountPoint: legacyRootRouteRef,
  }),
);
