// @ts-check

/**
 * Drift: runs get a mode (a drift check observes and records, changing nothing),
 * and findings keep what checks found with when it was first and last seen and
 * when it went away.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('runs', table => {
    table
      .string('mode')
      .notNullable()
      .defaultTo('apply')
      .comment('apply, or check: a drift check that changes nothing');
  });

  await knex.schema.createTable('findings', table => {
    table.comment('Differences between the desired estate and AWS');
    table.string('id').primary().notNullable().comment('UUID of the finding');
    table
      .string('fingerprint')
      .notNullable()
      .comment('Layer, region, account and subject: the same drift seen again');
    table
      .string('pipeline')
      .notNullable()
      .comment('The pipeline that repairs it');
    table.string('layer').notNullable();
    table.string('payer').notNullable();
    table.string('environment').notNullable();
    table.string('region').notNullable().comment('Name of the region OU');
    table.string('account').nullable();
    table.string('account_id').nullable();
    table.text('summary').notNullable();
    table.text('diff').nullable().comment('JSON: expected and actual');
    table.boolean('repairable').notNullable();
    table.timestamp('first_seen_at', { useTz: true }).notNullable();
    table.timestamp('last_seen_at', { useTz: true }).notNullable();
    table.timestamp('resolved_at', { useTz: true }).nullable();
    table
      .string('resolution')
      .nullable()
      .comment('fixed (no longer found) or repaired (a run changed it back)');
    table.string('check_run_id').notNullable();
    table.string('repair_run_id').nullable();
    table.index(['region', 'resolved_at'], 'findings_region_idx');
    table.index(['pipeline', 'payer', 'resolved_at'], 'findings_scope_idx');
  });
  // One open finding per fingerprint: seeing it again updates it.
  await knex.raw(
    `CREATE UNIQUE INDEX findings_one_open ON findings (fingerprint) WHERE resolved_at IS NULL`,
  );
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('findings');
  await knex.schema.alterTable('runs', table => table.dropColumn('mode'));
};
