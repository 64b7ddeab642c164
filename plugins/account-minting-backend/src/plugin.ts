import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import {
  accountMintingProvisionersExtensionPoint,
  ProvisionerRegistry,
} from '@regional-minting/plugin-account-minting-node';
import { applyDatabaseMigrations } from './database/migrations';
import { checkHealth } from './service/health';
import { createRouter } from './service/router';

/**
 * The account-minting backend plugin: mints, bootstraps and provisions the
 * AWS accounts of a region.
 *
 * @public
 */
export const accountMintingPlugin = createBackendPlugin({
  pluginId: 'account-minting',
  register(env) {
    const provisioners = new ProvisionerRegistry();
    env.registerExtensionPoint(accountMintingProvisionersExtensionPoint, {
      addProvisioner: (...added) => provisioners.add(...added),
    });

    env.registerInit({
      deps: {
        database: coreServices.database,
        httpRouter: coreServices.httpRouter,
        logger: coreServices.logger,
      },
      async init({ database, httpRouter, logger }) {
        const knex = await database.getClient();
        if (!database.migrations?.skip) {
          await applyDatabaseMigrations(knex);
        }

        httpRouter.use(
          await createRouter({
            health: () => checkHealth({ knex, provisioners, logger }),
          }),
        );
        // Load balancers and the portal's status line read health without signing in.
        httpRouter.addAuthPolicy({ path: '/health', allow: 'unauthenticated' });
      },
    });
  },
});
