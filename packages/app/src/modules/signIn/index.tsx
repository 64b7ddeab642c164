import {
  configApiRef,
  createFrontendModule,
  useApi,
} from '@backstage/frontend-plugin-api';
import { SignInPageBlueprint } from '@backstage/plugin-app-react';
import {
  devUserAuthApiRefs,
  devUserAuthApis,
  readDevUsers,
} from './devUsersAuthApi';

// Guest, and in development the users of auth.providers.devUsers, so that one person can request
// a change and another approve it in the same portal. The page remembers the choice: a reload or a
// link opened in a new tab signs the same user in again without asking; signing out forgets it and
// shows both again.
const signInPage = SignInPageBlueprint.make({
  params: {
    loader: async () => {
      const { SignInPage } = await import('@backstage/core-components');
      return function GuestOrDevUserSignInPage(props) {
        const devUsers = readDevUsers(useApi(configApiRef));
        return (
          <SignInPage
            {...props}
            auto
            providers={[
              'guest',
              ...devUsers.map((devUser, index) => ({
                id: `devUsers-${index}`,
                title: devUser.title,
                message: `Development only: sign in as ${devUser.userEntityRef}, with its catalog groups.`,
                apiRef: devUserAuthApiRefs[index],
              })),
            ]}
          />
        );
      };
    },
  },
});

export const signInModule = createFrontendModule({
  pluginId: 'app',
  extensions: [signInPage, ...devUserAuthApis],
});
