import { InputError, NotAllowedError } from '@backstage/errors';
import { createProxyAuthenticator } from '@backstage/plugin-auth-node';
import { DevUser, findDevUser, readDevUsersConfig } from './devUsersConfig';

/**
 * Signs in as the configured user the request names in its `user` query parameter
 * (GET /api/auth/devUsers/refresh?user=approver). There is no credential: like the guest
 * provider, it trusts whoever reaches the portal, hence development only.
 */
export const devUsersAuthenticator = createProxyAuthenticator<
  DevUser[],
  DevUser,
  undefined
>({
  defaultProfileTransform: async user => ({
    profile: { displayName: user.title },
  }),
  initialize({ config }) {
    return readDevUsersConfig(config).users;
  },
  async authenticate({ req }, users) {
    const requested = req.query.user;
    if (typeof requested !== 'string' || requested === '') {
      throw new InputError(
        "The devUsers provider needs the user to sign in as, in the 'user' query parameter",
      );
    }
    const user = findDevUser(users, requested);
    if (!user) {
      throw new NotAllowedError(
        `'${requested}' is not one of auth.providers.devUsers.users: ${users
          .map(u => u.userEntityRef)
          .join(', ')}`,
      );
    }
    return { result: user };
  },
});
