import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import {
  authProvidersExtensionPoint,
  createProxyAuthProviderFactory,
} from '@backstage/plugin-auth-node';
import { devUsersAuthenticator } from './devUsersAuthenticator';
import { DEV_USERS_CONFIG_KEY, readDevUsersConfig } from './devUsersConfig';
import { signInAsDevUser } from './devUsersSignInResolver';

/**
 * Development-only sign-in as one of the catalog users of auth.providers.devUsers (provider id
 * devUsers). Without that section it registers nothing; with it in production it stops the backend
 * unless dangerouslyAllowOutsideDevelopment is true.
 *
 * @public
 */
export const authModuleDevUsersProvider = createBackendModule({
  pluginId: 'auth',
  moduleId: 'dev-users-provider',
  register(reg) {
    reg.registerInit({
      deps: {
        providers: authProvidersExtensionPoint,
        config: coreServices.rootConfig,
        logger: coreServices.logger,
      },
      async init({ providers, config, logger }) {
        const section = config.getOptionalConfig(DEV_USERS_CONFIG_KEY);
        if (!section) {
          logger.info(`No ${DEV_USERS_CONFIG_KEY}: no development sign-in`);
          return;
        }
        // Checked here rather than at sign-in, so that a production deployment cannot start with it.
        const { users, allowOutsideDevelopment } = readDevUsersConfig(section);
        if (process.env.NODE_ENV === 'production' && !allowOutsideDevelopment) {
          throw new Error(
            `${DEV_USERS_CONFIG_KEY} lets anyone sign in as ${users
              .map(user => user.userEntityRef)
              .join(
                ', ',
              )} and is for development only: remove it from the production configuration, or set ${DEV_USERS_CONFIG_KEY}.dangerouslyAllowOutsideDevelopment: true`,
          );
        }
        providers.registerProvider({
          providerId: 'devUsers',
          factory: createProxyAuthProviderFactory({
            authenticator: devUsersAuthenticator,
            signInResolver: signInAsDevUser,
          }),
        });
      },
    });
  },
});
