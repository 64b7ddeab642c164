import { LoggerService } from '@backstage/backend-plugin-api';
import { HealthResponse } from '@regional-minting/plugin-account-minting-common';
import { ProvisionerRegistry } from '@regional-minting/plugin-account-minting-node';
import { Knex } from 'knex';
import { listDatabaseMigrations } from '../database/migrations';

/**
 * Checks that the plugin's database answers and is fully migrated.
 * The error text is logged, not returned: it may name hosts or users.
 */
export async function checkHealth(options: {
  knex: Knex;
  provisioners: ProvisionerRegistry;
  logger: LoggerService;
}): Promise<HealthResponse> {
  const { knex, provisioners, logger } = options;
  const client = String(knex.client.config.client);
  const base = { provisioners: provisioners.names() };
  try {
    await knex.raw('select 1');
    const { applied, pending } = await listDatabaseMigrations(knex);
    if (pending.length > 0) {
      return {
        ...base,
        status: 'unavailable',
        database: {
          client,
          latestMigration: applied.at(-1),
          error: `${pending.length} migration(s) not applied: ${pending.join(
            ', ',
          )}`,
        },
      };
    }
    return {
      ...base,
      status: 'ok',
      database: { client, latestMigration: applied.at(-1) },
    };
  } catch (error) {
    logger.warn('account-minting health check: the database did not answer', {
      error: String(error),
    });
    return {
      ...base,
      status: 'unavailable',
      database: {
        client,
        error: 'the database did not answer; see the backend log',
      },
    };
  }
}
