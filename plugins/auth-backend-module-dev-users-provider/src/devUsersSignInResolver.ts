import { SignInResolver } from '@backstage/plugin-auth-node';
import { DevUser } from './devUsersConfig';

/**
 * Signs the chosen user in with its catalog entity: the catalog's ownership resolution adds its
 * groups (spec.memberOf) to the token's `ent` claim, which the permission policy reads. No fallback
 * to a bare token, unlike the guest: a user without its groups would quietly lose its permissions.
 */
export const signInAsDevUser: SignInResolver<DevUser> = async (
  { result },
  ctx,
) => ctx.signInWithCatalogUser({ entityRef: result.userEntityRef });
