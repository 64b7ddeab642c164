/** What `GET /api/account-minting/health` answers. */
export interface HealthResponse {
  /**
   * `ok` when the backend has started, the plugin's database answers and its
   * migrations are applied; `starting` until the whole backend has started (it
   * stays so when another plugin failed to start); `unavailable` when the
   * database does not answer or is not migrated.
   */
  status: 'ok' | 'starting' | 'unavailable';
  /** Why the status is not `ok`. */
  reason?: string;
  database: {
    /** The knex client in use, such as `better-sqlite3` or `pg`. */
    client: string;
    /** The newest migration applied to the plugin's database. */
    latestMigration?: string;
    /** Why the database check failed, when it did. */
    error?: string;
  };
  /** The provisioners that backend modules registered, by name. */
  provisioners: string[];
}
