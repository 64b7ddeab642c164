/** What `GET /api/account-minting/health` answers. */
export interface HealthResponse {
  /** `ok` when the plugin's database answers and its migrations are applied. */
  status: 'ok' | 'unavailable';
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
