import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import {
  accountMintingPermissions,
  accountMintingRegionCreatePermission,
} from '@regional-minting/plugin-account-minting-common';
import {
  accountMintingProvisionersExtensionPoint,
  ProvisionerRegistry,
} from '@regional-minting/plugin-account-minting-node';
import { checkProvisioners, readMintingConfig } from './config/mintingConfig';
import { commandProvisioner } from './provisioners/commandProvisioner';
import { terraformProvisioner } from './provisioners/terraformProvisioner';
import { applyDatabaseMigrations } from './database/migrations';
import { createMintingEngine } from './engine/createMintingEngine';
import {
  environmentResourceRef,
  isEnvironmentRule,
} from './permissions/environmentRules';
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
    provisioners.add(commandProvisioner, terraformProvisioner);
    env.registerExtensionPoint(accountMintingProvisionersExtensionPoint, {
      addProvisioner: (...added) => provisioners.add(...added),
    });

    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        database: coreServices.database,
        httpRouter: coreServices.httpRouter,
        httpAuth: coreServices.httpAuth,
        logger: coreServices.logger,
        permissions: coreServices.permissions,
        permissionsRegistry: coreServices.permissionsRegistry,
        auditor: coreServices.auditor,
        lifecycle: coreServices.lifecycle,
      },
      async init(deps) {
        const { database, httpRouter, logger, lifecycle } = deps;
        const config = readMintingConfig(deps.config);
        // Modules have added their provisioners by now: every step must name one of them.
        checkProvisioners(config, provisioners.names());
        const knex = await database.getClient();
        if (!database.migrations?.skip) {
          await applyDatabaseMigrations(knex);
        }

        deps.permissionsRegistry.addPermissions(accountMintingPermissions);
        deps.permissionsRegistry.addResourceType({
          resourceRef: environmentResourceRef,
          permissions: [accountMintingRegionCreatePermission],
          rules: [isEnvironmentRule],
          getResources: async names =>
            names.map(name => config.environments.find(e => e.name === name)),
        });

        const { executor, minting, estate } = await createMintingEngine({
          config,
          rootConfig: deps.config,
          knex,
          logger,
          provisioners,
        });

        httpRouter.use(
          await createRouter({
            config,
            minting,
            estate,
            health: () => checkHealth({ knex, provisioners, logger }),
            httpAuth: deps.httpAuth,
            permissions: deps.permissions,
            auditor: deps.auditor,
          }),
        );
        // Load balancers and the portal's status line read health without signing in.
        httpRouter.addAuthPolicy({ path: '/health', allow: 'unauthenticated' });

        lifecycle.addStartupHook(() => executor.start());
        lifecycle.addShutdownHook(() => executor.stop());
      },
    });
  },
});
