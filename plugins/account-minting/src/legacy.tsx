import {
  createApiFactory,
  createComponentExtension,
  createPlugin,
  createRoutableExtension,
  createRouteRef,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/core-plugin-api';
import { createScaffolderFieldExtension } from '@backstage/plugin-scaffolder-react';
import { AccountMintingClient } from '@regional-minting/plugin-account-minting-common';
import { accountMintingApiRef } from './api';
import { regionFieldExtensions, RegionFieldOptions } from './scaffolder';

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

/**
 * The account-minting card of an AWS account's entity, for legacy apps' entity
 * pages of Resources of type `aws-account`:
 * `<EntitySwitch.Case if={isAccountMintingAccount}><EntityAccountMintingCard /></EntitySwitch.Case>`.
 * Its links go to where the app routes `<AccountMintingPage />`.
 *
 * @public
 */
export const EntityAccountMintingCard = accountMintingLegacyPlugin.provide(
  createComponentExtension({
    name: 'EntityAccountMintingCard',
    component: {
      lazy: () =>
        import('./components/EntityCard').then(m => {
          const EntityAccountMintingCardContent = () => (
            <m.LegacyAccountMintingEntityCard
              pageRouteRef={legacyRootRouteRef}
            />
          );
          return EntityAccountMintingCardContent;
        }),
    },
  }),
);

/**
 * The environment picker of the region templates, for legacy apps' scaffolder page:
 * `<ScaffolderFieldExtensions><AccountMintingEnvironmentPickerFieldExtension /></ScaffolderFieldExtensions>`.
 * It offers the environments the backend is configured with.
 *
 * @public
 */
export const AccountMintingEnvironmentPickerFieldExtension =
  accountMintingLegacyPlugin.provide(
    createScaffolderFieldExtension<string, RegionFieldOptions>(
      regionFieldExtensions.environment,
    ),
  );

/**
 * The region picker of the region templates, for legacy apps' scaffolder page: it
 * offers the regions the chosen environment allows.
 *
 * @public
 */
export const AccountMintingRegionPickerFieldExtension =
  accountMintingLegacyPlugin.provide(
    createScaffolderFieldExtension<string, RegionFieldOptions>(
      regionFieldExtensions.region,
    ),
  );

/**
 * The owner field of the region templates, for legacy apps' scaffolder page: the
 * owner that region names carry in environments such as dev.
 *
 * @public
 */
export const AccountMintingOwnerPickerFieldExtension =
  accountMintingLegacyPlugin.provide(
    createScaffolderFieldExtension<string, RegionFieldOptions>(
      regionFieldExtensions.owner,
    ),
  );
