import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { catalogProcessingExtensionPoint } from '@backstage/plugin-catalog-node';
import { eventsServiceRef } from '@backstage/plugin-events-node';
import { AccountMintingEstateProvider } from './AccountMintingEstateProvider';

/**
 * A catalog module that publishes the account-minting estate: a System per region and a
 * Resource of type aws-account per account, refreshed on a schedule and after each run.
 * It reads the estate through the account-minting REST API, so the catalog may run on
 * another backend than account minting.
 *
 * @public
 */
export const catalogModuleAccountMintingEstate = createBackendModule({
  pluginId: 'catalog',
  moduleId: 'account-minting-estate',
  register(reg) {
    reg.registerInit({
      deps: {
        catalog: catalogProcessingExtensionPoint,
        config: coreServices.rootConfig,
        discovery: coreServices.discovery,
        auth: coreServices.auth,
        logger: coreServices.logger,
        scheduler: coreServices.scheduler,
        events: eventsServiceRef,
      },
      async init({ catalog, config, ...deps }) {
        catalog.addEntityProvider(
          AccountMintingEstateProvider.fromConfig(config, deps),
        );
      },
    });
  },
});
