import {
  LoggerService,
  resolvePackagePath,
} from '@backstage/backend-plugin-api';
import { Knex } from 'knex';
import { setTimeout as sleep } from 'node:timers/promises';

// Replicas started together on a fresh database: one migrates, the others wait for it.
const LOCK_WAIT_MS = 120_000;

const migrationsDirectory = resolvePackagePath(
  '@regional-minting/plugin-account-minting-backend',
  'migrations',
);

/**
 * Brings the plugin's database schema up to date. When another replica holds the
 * migration lock, waits for it to finish instead of failing this backend's start.
 */
export async function applyDatabaseMigrations(
  knex: Knex,
  logger?: LoggerService,
): Promise<void> {
  const deadline = Date.now() + LOCK_WAIT_MS;
  for (let delay = 250; ; delay = Math.min(delay * 2, 5000)) {
    try {
      await knex.migrate.latest({ directory: migrationsDirectory });
      return;
    } catch (error) {
      if ((error as Error).name !== 'MigrationLocked' || Date.now() > deadline)
        throw error;
      logger?.info(
        `another backend is migrating the account-minting database; waiting ${delay} ms`,
      );
      await sleep(delay);
    }
  }
}

/** The migrations applied to the database and those still to apply, by file name. */
export async function listDatabaseMigrations(
  knex: Knex,
): Promise<{ applied: string[]; pending: string[] }> {
  const [applied, pending] = (await knex.migrate.list({
    directory: migrationsDirectory,
  })) as [{ name: string }[], { file: string }[]];
  return {
    applied: applied.map(m => m.name),
    pending: pending.map(m => m.file),
  };
}
