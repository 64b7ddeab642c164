export interface Config {
  accountMinting?: {
    /**
     * The permission policy of Regional Account Minting (this module, permissionModuleAccountMintingPolicy).
     * Everyone signed in may read the estate and run drift checks; changes in an environment that is not
     * open need the operators group; approving a change needs the approvers group. Every permission of
     * the rest of the portal is allowed. Required when the module is installed.
     */
    permissionPolicy?: {
      /**
       * Environments, by name, where anyone signed in may request regions, run, retry, repair and
       * cancel, such as [dev]. Default none: only operators may.
       */
      openEnvironments?: string[];
      /**
       * The group (an entity ref such as group:default/platform-operators) whose members may request
       * regions, run, retry, repair and cancel in every environment.
       */
      operatorsGroup: string;
      /**
       * The group (an entity ref such as group:default/platform-approvers) whose members may approve
       * or reject change requests (account-minting.change.approve).
       */
      approversGroup: string;
    };
  };
}
