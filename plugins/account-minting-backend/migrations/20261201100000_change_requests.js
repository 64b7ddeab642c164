// @ts-check

/**
 * Change requests: in an environment that needs approval, a change that would mutate
 * AWS (a region request, a pipeline run, a retry, a repair) waits here with the plan
 * computed when it was asked for, until enough people of the approver group approve
 * that same plan. Decisions are kept with the plan they were made on, so that a plan
 * that changed before the start voids the approvals given to the old one.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('change_requests', table => {
    table.comment('Changes waiting for approval, and what became of them');
    table.string('id').primary();
    table
      .string('kind')
      .notNullable()
      .comment('region-request, run, retry or repair');
    table
      .string('status')
      .notNullable()
      .comment('pending, approved, rejected, expired or started');
    table.string('environment').notNullable();
    table.string('region').notNullable().comment('The region OU name');
    table.string('pipeline').notNullable();
    table.string('account').nullable();
    table
      .text('subject')
      .notNullable()
      .comment(
        'JSON: what starts on approval: the region request, the run to retry, the finding to repair',
      );
    table.text('plan').notNullable().comment('JSON: the plan now shown');
    table
      .string('plan_hash')
      .notNullable()
      .comment('What approvals are given to: the plan without its reasons');
    table.string('requested_by').notNullable();
    table.text('reason').nullable();
    table.integer('approvers').notNullable().comment('Approvals needed');
    table.string('approver_group').notNullable();
    table.timestamp('created_at', { useTz: true }).notNullable();
    table.timestamp('expires_at', { useTz: true }).notNullable();
    table.timestamp('updated_at', { useTz: true }).notNullable();
    table.string('run_id').nullable().comment('The run it started');
    table
      .text('error')
      .nullable()
      .comment('Why an approved change has not started yet');
    table.index(['status', 'created_at'], 'change_requests_status_idx');
  });

  await knex.schema.createTable('change_decisions', table => {
    table.comment('Approvals and rejections of change requests');
    table.increments('id');
    table
      .string('change_id')
      .notNullable()
      .references('id')
      .inTable('change_requests')
      .onDelete('CASCADE');
    table.string('decision').notNullable().comment('approve or reject');
    table.string('decided_by').notNullable();
    table.text('comment').nullable();
    table.string('plan_hash').notNullable().comment('The plan decided on');
    table.timestamp('decided_at', { useTz: true }).notNullable();
    // One decision per person and plan: a second click changes nothing.
    table.unique(['change_id', 'decided_by', 'plan_hash'], {
      indexName: 'change_decisions_once_idx',
    });
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('change_decisions');
  await knex.schema.dropTable('change_requests');
};
