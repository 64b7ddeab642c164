import {
  ApiBlueprint,
  createFrontendPlugin,
  discoveryApiRef,
  fetchApiRef,
  PageBlueprint,
} from '@backstage/frontend-plugin-api';
import { EntityCardBlueprint } from '@backstage/plugin-catalog-react/alpha';
import { FormFieldBlueprint } from '@backstage/plugin-scaffolder-react/alpha';
import { AccountMintingClient } from '@regional-minting/plugin-account-minting-common';
import AccountTreeIcon from '@material-ui/icons/AccountTree';
import { accountMintingApiRef } from './api';
import { rootRouteRef } from './routes';

const accountMintingApi = ApiBlueprint.make({
  params: defineParams =>
    defineParams({
      api: accountMintingApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new AccountMintingClient({ discoveryApi, fetchApi }),
    }),
});

const accountMintingPage = PageBlueprint.make({
  params: {
    path: '/account-minting',
    routeRef: rootRouteRef,
    // The page draws its own header, shared with the legacy export.
    noHeader: true,
    loader: () =>
      import('./components/AccountMintingPage').then(m => (
        <m.AccountMintingPage />
      )),
  },
});

// On the catalog's entity page of each AWS account that the catalog provider
// publishes; apps can change the filter through the extension's config.
const accountMintingEntityCard = EntityCardBlueprint.make({
  name: 'account-minting',
  params: {
    filter: { kind: 'resource', 'spec.type': 'aws-account' },
    loader: () =>
      import('./components/EntityCard').then(m => (
        <m.NfsAccountMintingEntityCard />
      )),
  },
});

// The fields of the region templates (examples/templates), in the scaffolder's form.
const environmentPickerField = FormFieldBlueprint.make({
  name: 'environment-picker',
  params: {
    field: () =>
      import('./scaffolder/formFields').then(m => m.environmentPickerFormField),
  },
});

const regionPickerField = FormFieldBlueprint.make({
  name: 'region-picker',
  params: {
    field: () =>
      import('./scaffolder/formFields').then(m => m.regionPickerFormField),
  },
});

const ownerPickerField = FormFieldBlueprint.make({
  name: 'owner-picker',
  params: {
    field: () =>
      import('./scaffolder/formFields').then(m => m.ownerPickerFormField),
  },
});

/**
 * The account-minting plugin for apps on the new frontend system: a page at
 * /account-minting with its nav item, the API client, a card on the catalog's
 * entity page of each AWS account, and the scaffolder fields of the region templates
 * (AccountMintingEnvironmentPicker, AccountMintingRegionPicker, AccountMintingOwnerPicker).
 *
 * @public
 */
export const accountMintingPlugin = createFrontendPlugin({
  pluginId: 'account-minting',
  title: 'Account Minting',
  icon: <AccountTreeIcon />,
  info: { packageJson: () => import('../package.json') },
  routes: { root: rootRouteRef },
  extensions: [
    accountMintingApi,
    accountMintingPage,
    accountMintingEntityCard,
    environmentPickerField,
    regionPickerField,
    ownerPickerField,
  ],
});
