export interface Config {
  auth?: {
    providers?: {
      /**
       * The development users of the sign-in page (declared in full by the backend's
       * plugin-auth-backend-module-dev-users-provider): the app reads who they are.
       */
      devUsers?: {
        users: Array<{
          /**
           * The user's entity ref, such as user:default/approver.
           * @visibility frontend
           */
          userEntityRef: string;
          /**
           * The name its sign-in card shows, such as 'Approver (dev)'.
           * @visibility frontend
           */
          title: string;
        }>;
      };
    };
  };
}
