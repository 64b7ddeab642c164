import { LoggerService } from '@backstage/backend-plugin-api';
import { HealthResponse } from '@regional-minting/plugin-account-minting-common';
import { ProvisionerRegistry } from '@regional-minting/plugin-account-minting-node';
import { Knex } from 'knex';
import { listDatabaseMigrations } from '../database/migrations';

/**
 * Checks that the backend has started, and that the plugin's database answers
 * and is fully migrated. The error text is logged, not returned: it may name
 * hosts or users.
 */
export async function checkHealth(options: {
  knex: Knex;
  provisioners: ProvisionerRegistry;
  logger: LoggerService;
  /** Whether every plugin of the backend has started: until then, this one does no work. */
  started: () => boolean;
}): Promise<HealthResponse> {
  const { knex, provisioners, logger } = options;
  const client = String(knex.client.config.client);
  const base = { provisioners: provisioners.names() };
  try {
    await knex.raw('select 1');
    const { applied, pending } = await listDatabaseMigrations(knex);
    const database = { client, latestMigration: applied.at(-1) };
    if (pending.length > 0) {
      const error = `${pending.length} migration(s) not applied: ${pending.join(
        ', ',
      )}`;
      return {
        ...base,
        status: 'unavailable',
        reason: error,
        database: { ...database, error },
      };
    }
    if (!options.started()) {
      return {
        ...base,
        status: 'starting',
        reason:
          'the backend has not finished starting; if this lasts, a plugin failed to start: see the backend log',
        database,
      };
    }
    return { ...base, status: 'ok', database };
  } catch (error) {
    logger.warn('account-minting health check: the database did not answer', {
      error: String(error),
    });
    const unanswered = 'the database did not answer; see the backend log';
    return {
      ...base,
      status: 'unavailable',
      reason: unanswered,
      database: { client, error: unanswered },
    };
  }
}
