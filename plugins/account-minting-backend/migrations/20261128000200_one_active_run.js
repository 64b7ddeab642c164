// @ts-check

/**
 * At most one queued or running run per region, pipeline and account, so that the same
 * request sent to two backends at once starts one run, whichever backend wins.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.raw(
    `CREATE UNIQUE INDEX runs_one_active_per_target ON runs (region, pipeline, COALESCE(account, '')) WHERE status IN ('queued', 'running')`,
  );
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.raw('DROP INDEX runs_one_active_per_target');
};
