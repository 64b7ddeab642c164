// @ts-check

/**
 * Requested regions keep what they resolved to when they were accepted (their payer and
 * their accounts' names and emails), so that a later configuration change can make a
 * request stale but never rename or re-address its accounts, and reading the desired
 * state never parses every request again.
 *
 * Creation slots: AWS lets about five account creations run at once per organization.
 * The slots live in the database so that every replica of the backend shares them.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('requested_regions', table => {
    table
      .string('payer')
      .nullable()
      .comment('Payer whose organization the region was accepted into');
    table
      .text('accounts')
      .nullable()
      .comment('JSON: the accounts as accepted: role, index, name and email');
  });

  await knex.schema.createTable('creation_slots', table => {
    table.comment(
      'Account creations in progress per payer organization, shared by every replica',
    );
    table.string('payer').notNullable();
    table.integer('slot').notNullable().comment('0 to the number of slots - 1');
    table
      .string('holder')
      .nullable()
      .comment('Step that holds the slot while its account is being created');
    table
      .timestamp('expires_at', { useTz: true })
      .nullable()
      .comment('After this time the slot is free, whoever held it');
    table.primary(['payer', 'slot']);
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('creation_slots');
  await knex.schema.alterTable('requested_regions', table => {
    table.dropColumn('payer');
    table.dropColumn('accounts');
  });
};
