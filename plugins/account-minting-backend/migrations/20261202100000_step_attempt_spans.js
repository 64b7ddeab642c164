// @ts-check

/**
 * When each attempt of a step ran, so that a step retried after a pause (a backoff,
 * or a retry of its run hours later) shows its attempts rather than one span over
 * the idle time between them.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('steps', table => {
    table
      .text('attempt_spans')
      .nullable()
      .comment(
        'JSON array of the ended attempts, oldest first: {startedAt, finishedAt}',
      );
    table
      .timestamp('attempt_started_at', { useTz: true })
      .nullable()
      .comment('When the attempt going on began; a wait continues it');
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.alterTable('steps', table => {
    table.dropColumn('attempt_spans');
    table.dropColumn('attempt_started_at');
  });
};
