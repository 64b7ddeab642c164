export interface Config {
  accountMinting?: {
    /**
     * The catalog module (catalogModuleAccountMintingEstate) that publishes the estate: a System
     * per region and a Resource of type aws-account per account. It reads this key from the
     * catalog's backend, which may be another backend than account minting's.
     */
    catalog?: {
      /**
       * The owner (a user or group entity ref) of the entities of regions with no owner of their own
       * that were not requested by a user or group, such as the regions declared in configuration.
       * Default group:default/platform-sre.
       */
      owner?: string;
      /** How often the catalog reads the estate again, besides after each run and drift check. Default 10. */
      refreshMinutes?: number;
    };
  };
}
