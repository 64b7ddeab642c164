import {
  ApiBlueprint,
  createFrontendPlugin,
  discoveryApiRef,
  fetchApiRef,
  PageBlueprint,
} from '@backstage/frontend-plugin-api';
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

/**
 * The account-minting plugin for apps on the new frontend system: a page at
 * /account-minting with its nav item, and the API client.
 *
 * @public
 */
export const accountMintingPlugin = createFrontendPlugin({
  pluginId: 'account-minting',
  title: 'Account Minting',
  icon: <AccountTreeIcon />,
  info: { packageJson: () => import('../package.json') },
  routes: { root: rootRouteRef },
  extensions: [accountMintingApi, accountMintingPage],
});
