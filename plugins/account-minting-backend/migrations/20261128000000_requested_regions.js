// @ts-check

/**
 * Regions requested through the form, the API or the scaffolder: the part of the
 * desired state that lives in the database, with who asked and when.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('requested_regions', table => {
    table.comment(
      'Regions requested through the portal, the API or the scaffolder',
    );
    table.string('id').primary().notNullable().comment('UUID of the request');
    table.string('environment').notNullable();
    table.string('region').notNullable().comment('AWS region code');
    table.string('owner').nullable().comment('Owner of a personal region');
    table
      .string('region_ou')
      .notNullable()
      .unique()
      .comment('Name of the region OU, unique within the estate');
    table
      .text('account_counts')
      .notNullable()
      .comment('JSON: number of accounts per account role');
    table
      .string('requested_by')
      .notNullable()
      .comment('Entity ref of the requester');
    table
      .timestamp('requested_at', { useTz: true })
      .notNullable()
      .defaultTo(knex.fn.now());
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('requested_regions');
};
