export interface Config {
  auth?: {
    providers?: {
      /**
       * Development-only sign-in as one of these catalog users, chosen on the sign-in page
       * (this module, authModuleDevUsersProvider; its provider id is devUsers). The backend refuses
       * to start with it when NODE_ENV is production, unless dangerouslyAllowOutsideDevelopment is true.
       */
      devUsers?: {
        /**
         * The users one may sign in as. Each is signed in with its catalog entity, so its groups
         * (spec.memberOf) are its ownership refs in permission decisions.
         */
        users: Array<{
          /**
           * The user's entity ref, such as user:default/approver. The sign-in page offers each, up to three.
           * @visibility frontend
           */
          userEntityRef: string;
          /**
           * The name the sign-in page and the profile show, such as 'Approver (dev)'.
           * @visibility frontend
           */
          title: string;
        }>;
        /**
         * Lets the provider run when NODE_ENV is production. Anyone who reaches the portal could then
         * sign in as any of the users above: never in a real deployment.
         */
        dangerouslyAllowOutsideDevelopment?: boolean;
      };
    };
  };
}
