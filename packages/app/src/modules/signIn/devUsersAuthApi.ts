import {
  ApiBlueprint,
  configApiRef,
  createApiRef,
  discoveryApiRef,
} from '@backstage/frontend-plugin-api';
import type {
  BackstageIdentityApi,
  ProfileInfoApi,
  SessionApi,
} from '@backstage/frontend-plugin-api';
import { DevUserAuth } from './DevUserAuth';

/** A development user the sign-in page offers: one of auth.providers.devUsers.users. */
export type DevUser = { userEntityRef: string; title: string };

// API ids are words: one per position of a development user in the configured list.
const POSITIONS = ['first', 'second', 'third'];

/** How many development users the sign-in page can offer: each needs an auth API of its own. */
export const MAX_DEV_USERS = POSITIONS.length;

/** Reads the development users the sign-in page offers; none without the devUsers provider. */
export function readDevUsers(config: {
  getOptionalConfigArray(
    key: string,
  ): Array<{ getString(key: string): string }> | undefined;
}): DevUser[] {
  return (config.getOptionalConfigArray('auth.providers.devUsers.users') ?? [])
    .slice(0, MAX_DEV_USERS)
    .map(user => ({
      userEntityRef: user.getString('userEntityRef'),
      title: user.getString('title'),
    }));
}

/** The auth API of the development user at each position of the configured list. */
export const devUserAuthApiRefs = POSITIONS.map(position =>
  createApiRef<ProfileInfoApi & BackstageIdentityApi & SessionApi>({
    id: `app.auth.dev-user-${position}`,
  }),
);

export const devUserAuthApis = devUserAuthApiRefs.map((apiRef, index) =>
  ApiBlueprint.make({
    name: `dev-user-auth-${POSITIONS[index]}`,
    params: defineParams =>
      defineParams({
        api: apiRef,
        deps: { discoveryApi: discoveryApiRef, configApi: configApiRef },
        factory: ({ discoveryApi, configApi }) =>
          new DevUserAuth({
            discoveryApi,
            // Without that user the sign-in page offers no card, so it is never asked for.
            userEntityRef:
              readDevUsers(configApi)[index]?.userEntityRef ??
              'user:default/unconfigured',
          }),
      }),
  }),
);
