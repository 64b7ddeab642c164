import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { accountMintingPermissions } from '@regional-minting/plugin-account-minting-common';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { catalogMembership } from './changes/approverGroups';
import {
  accountMintingProvisionersExtensionPoint,
  ProvisionerRegistry,
} from '@regional-minting/plugin-account-minting-node';
import { checkProvisioners, readMintingConfig } from './config/mintingConfig';
import { commandProvisioner } from './provisioners/commandProvisioner';
import { terraformProvisioner } from './provisioners/terraformProvisioner';
import { applyDatabaseMigrations } from './database/migrations';
import { createMintingEngine } from './createMintingEngine';
import {
  environmentResourceRef,
  isEnvironmentRule,
} from './permissions/environmentRules';
import { checkHealth } from './service/health';
import { readDriftSchedules, scheduleDriftChecks } from './drift/schedules';
import { notificationService } from '@backstage/plugin-notifications-node';
import { signalsServiceRef } from '@backstage/plugin-signals-node';
import { eventsServiceRef } from '@backstage/plugin-events-node';
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
        rootLifecycle: coreServices.rootLifecycle,
        scheduler: coreServices.scheduler,
        notifications: notificationService,
        signals: signalsServiceRef,
        events: eventsServiceRef,
        catalog: catalogServiceRef,
        auth: coreServices.auth,
      },
      async init(deps) {
        const { database, httpRouter, logger, lifecycle, rootLifecycle } = deps;
        const config = readMintingConfig(deps.config);
        const schedules = readDriftSchedules(deps.config);
        // Modules have added their provisioners by now: every step must name one of them.
        checkProvisioners(config, provisioners.names());
        const knex = await database.getClient();
        if (!database.migrations?.skip) {
          await applyDatabaseMigrations(knex, logger);
        }

        deps.permissionsRegistry.addPermissions(accountMintingPermissions);
        deps.permissionsRegistry.addResourceType({
          resourceRef: environmentResourceRef,
          permissions: accountMintingPermissions.filter(
            p => p.type === 'resource',
          ),
          rules: [isEnvironmentRule],
          getResources: async names =>
            names.map(name => config.environments.find(e => e.name === name)),
        });

        // Work starts once the whole backend has: a backend left half-started by another
        // plugin's failure (such as a migration lock lost to a replica) runs nothing and says so.
        let started = false;
        const {
          executor,
          minting,
          lifecycle: regionLife,
          estate,
          drift,
          changes,
        } = await createMintingEngine({
          config,
          rootConfig: deps.config,
          knex,
          logger,
          provisioners,
          notifications: deps.notifications,
          signals: deps.signals,
          events: deps.events,
          isMember: catalogMembership(deps.catalog, deps.auth),
        });

        httpRouter.use(
          await createRouter({
            config,
            minting,
            lifecycle: regionLife,
            estate,
            drift,
            changes,
            health: () =>
              checkHealth({
                knex,
                provisioners,
                logger,
                started: () => started,
              }),
            httpAuth: deps.httpAuth,
            permissions: deps.permissions,
            auditor: deps.auditor,
            logger,
          }),
        );
        // Load balancers and the portal's status line read health without signing in.
        httpRouter.addAuthPolicy({ path: '/health', allow: 'unauthenticated' });

        rootLifecycle.addStartupHook(() => {
          executor.start();
          started = true;
        });
        await scheduleDriftChecks({
          scheduler: deps.scheduler,
          schedules,
          drift,
        });
        // Expires changes past their time and starts approved ones a crash left behind.
        await deps.scheduler.scheduleTask({
          id: 'account-minting-changes',
          frequency: { minutes: 1 },
          timeout: { minutes: 5 },
          initialDelay: { seconds: 30 },
          scope: 'global',
          fn: () => changes.tick(),
        });
        lifecycle.addShutdownHook(() => executor.stop());
      },
    });
  },
});
