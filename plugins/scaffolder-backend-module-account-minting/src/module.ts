import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';
import { createCheckBackendAction } from './actions/checkBackend';

/**
 * Registers the account-minting actions with the scaffolder.
 *
 * @public
 */
export const scaffolderModuleAccountMinting = createBackendModule({
  pluginId: 'scaffolder',
  moduleId: 'account-minting',
  register(reg) {
    reg.registerInit({
      deps: {
        scaffolder: scaffolderActionsExtensionPoint,
        discovery: coreServices.discovery,
        auth: coreServices.auth,
      },
      async init({ scaffolder, discovery, auth }) {
        scaffolder.addActions(createCheckBackendAction({ discovery, auth }));
      },
    });
  },
});
