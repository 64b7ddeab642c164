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

/** The sign-in page's development user: the first of auth.providers.devUsers.users. */
export type DevUser = { userEntityRef: string; title: string };

/** Reads the development user the sign-in page offers; none without the devUsers provider. */
export function readDevUser(config: {
  getOptionalConfigArray(
    key: string,
  ): Array<{ getString(key: string): string }> | undefined;
}): DevUser | undefined {
  const [first] =
    config.getOptionalConfigArray('auth.providers.devUsers.users') ?? [];
  return first
    ? {
        userEntityRef: first.getString('userEntityRef'),
        title: first.getString('title'),
      }
    : undefined;
}

export const devUserAuthApiRef = createApiRef<
  ProfileInfoApi & BackstageIdentityApi & SessionApi
>({ id: 'app.auth.dev-user' });

export const devUserAuthApi = ApiBlueprint.make({
  name: 'dev-user-auth',
  params: defineParams =>
    defineParams({
      api: devUserAuthApiRef,
      deps: { discoveryApi: discoveryApiRef, configApi: configApiRef },
      factory: ({ discoveryApi, configApi }) =>
        new DevUserAuth({
          discoveryApi,
          // Without the provider the sign-in page offers no card, so this user is never asked for.
          userEntityRef:
            readDevUser(configApi)?.userEntityRef ?? 'user:default/approver',
        }),
    }),
});
