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
import { AwsClients } from './aws/AwsClients';
import { PayerGates } from './aws/OrganizationSession';
import { readMintingConfig } from './config/mintingConfig';
import { applyDatabaseMigrations } from './database/migrations';
import { MintingService } from './engine/MintingService';
import { RunExecutor } from './engine/RunExecutor';
import {
  environmentResourceRef,
  isEnvironmentRule,
} from './permissions/environmentRules';
import { mintHandlers } from './pipelines/mint';
import { EngineTiming } from './pipelines/types';
import { DesiredState } from './regions/DesiredState';
import { RegionStore } from './regions/RegionStore';
import { RunStore } from './runs/RunStore';
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

        const { engine } = config;
        const timing: EngineTiming = {
          pollMinMs: engine.creationPollMs.min,
          pollMaxMs: engine.creationPollMs.max,
          backoff: engine.retries,
        };
        const store = new RunStore({ knex });
        const regions = new RegionStore(knex);
        const desiredState = new DesiredState(config, regions);
        const clients = await AwsClients.fromConfig(deps.config, config);
        // AWS allows about five creations in progress per organization.
        const gates = new PayerGates({
          callConcurrency: engine.callsPerPayer,
          creationSlots: 5,
        });
        const executor = new RunExecutor({
          store,
          desiredState,
          handlers: mintHandlers,
          config,
          clients,
          gates,
          timing,
          logger,
          concurrency: engine.concurrency,
          leaseMs: engine.leaseSeconds * 1000,
          pollIntervalMs: engine.pollIntervalMs,
          maxAttempts: engine.maxStepAttempts,
        });
        const minting = new MintingService({
          config,
          store,
          regions,
          desiredState,
          clients,
          gates,
          timing,
          executor,
        });

        httpRouter.use(
          await createRouter({
            config,
            minting,
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
