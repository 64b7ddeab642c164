import { resolvePackagePath } from '@backstage/backend-plugin-api';
import { Knex } from 'knex';

const migrationsDirectory = resolvePackagePath(
  '@regional-minting/plugin-account-minting-backend',
  'migrations',
);

/** Brings the plugin's database schema up to date. */
export async function applyDatabaseMigrations(knex: Knex): Promise<void> {
  await knex.migrate.latest({ directory: migrationsDirectory });
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
