import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';
import { createCheckBackendAction } from './actions/checkBackend';
import { createRegionCreateAction } from './actions/createRegion';
import { createPipelineRunAction } from './actions/runPipeline';
import { createRunWaitAction } from './actions/waitForRun';

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
        config: coreServices.rootConfig,
      },
      async init({ scaffolder, discovery, auth, config }) {
        scaffolder.addActions(
          createCheckBackendAction({ discovery, auth }),
          createRegionCreateAction({ discovery, auth, config }),
          createRunWaitAction({ discovery, auth, config }),
          createPipelineRunAction({ discovery, auth, config }),
        );
      },
    });
  },
});
