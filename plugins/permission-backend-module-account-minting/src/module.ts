import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { policyExtensionPoint } from '@backstage/plugin-permission-node/alpha';
import { AccountMintingPermissionPolicy } from './AccountMintingPermissionPolicy';
import { readPolicyConfig } from './policyConfig';

/**
 * Installs the account-minting permission policy in the permission backend, in place of
 * another policy module such as allow-all.
 *
 * @public
 */
export const permissionModuleAccountMintingPolicy = createBackendModule({
  pluginId: 'permission',
  moduleId: 'account-minting-policy',
  register(reg) {
    reg.registerInit({
      deps: {
        policy: policyExtensionPoint,
        config: coreServices.rootConfig,
        logger: coreServices.logger,
      },
      async init({ policy, config, logger }) {
        // Bad config stops the backend at start rather than deciding on a guess.
        const policyConfig = readPolicyConfig(config);
        warnOfUnknownEnvironments(
          policyConfig.openEnvironments,
          config.getOptional('accountMinting.environments'),
          message => logger.warn(message),
        );
        logger.info(
          `Account-minting permission policy: open environments [${policyConfig.openEnvironments.join(
            ', ',
          )}], operators ${policyConfig.operatorsGroup}, approvers ${
            policyConfig.approversGroup
          }`,
        );
        policy.setPolicy(new AccountMintingPermissionPolicy(policyConfig));
      },
    });
  },
});

/**
 * A misspelt open environment opens nothing; say so when this backend knows the environments.
 * The permission backend may run without accountMinting.environments, so this only warns.
 */
function warnOfUnknownEnvironments(
  openEnvironments: string[],
  declared: unknown,
  warn: (message: string) => void,
) {
  if (!Array.isArray(declared)) {
    return;
  }
  const names = declared
    .map(environment =>
      typeof environment === 'object' && environment !== null
        ? (environment as { name?: unknown }).name
        : undefined,
    )
    .filter((name): name is string => typeof name === 'string');
  for (const name of openEnvironments) {
    if (!names.includes(name)) {
      warn(
        `accountMinting.permissionPolicy.openEnvironments: ${name} is not one of accountMinting.environments (${names.join(
          ', ',
        )}); it opens nothing`,
      );
    }
  }
}
