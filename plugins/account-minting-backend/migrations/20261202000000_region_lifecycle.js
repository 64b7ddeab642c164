// @ts-check

/**
 * A region's whole life. A requested region is decommissioned rather than deleted: its
 * record stays, marked with who decommissioned it and when, for the audit trail, and
 * leaves the desired state. Closures are kept per payer organization, since AWS lets an
 * organization close only so many accounts per rolling window and does not say when it
 * closed one: the engine counts its own.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('requested_regions', table => {
    table
      .string('status')
      .notNullable()
      .defaultTo('active')
      .comment('active, decommissioning or decommissioned');
    table.string('decommissioned_by').nullable();
    table.timestamp('decommissioned_at', { useTz: true }).nullable();
  });
  await knex.schema.createTable('account_closures', table => {
    table.comment(
      'CloseAccount calls AWS accepted, counted against the close quota window',
    );
    table
      .increments('seq')
      .comment(
        'The order of reservations: of two at once, the later gives its slot back',
      );
    table.string('payer').notNullable();
    table.string('account_id').notNullable();
    table.string('region_ou').notNullable();
    table.string('run_id').nullable();
    table.timestamp('closed_at', { useTz: true }).notNullable();
    table.unique(['payer', 'account_id']);
    table.index(['payer', 'closed_at'], 'account_closures_window_idx');
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('account_closures');
  await knex.schema.alterTable('requested_regions', table => {
    table.dropColumn('status');
    table.dropColumn('decommissioned_by');
    table.dropColumn('decommissioned_at');
  });
};
