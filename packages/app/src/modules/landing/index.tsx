import {
  createFrontendModule,
  PageBlueprint,
} from '@backstage/frontend-plugin-api';
import { Navigate } from 'react-router-dom';

// The portal opens on the estate: / leads to the account-minting page.
const landingRedirect = PageBlueprint.make({
  name: 'landing',
  params: {
    path: '/',
    loader: async () => <Navigate to="/account-minting" replace />,
  },
});

export const landingModule = createFrontendModule({
  pluginId: 'app',
  extensions: [landingRedirect],
});
