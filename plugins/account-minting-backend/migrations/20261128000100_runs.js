// @ts-check

/**
 * Runs, their steps and the steps' logs: the durable state of the engine, so that
 * a run survives a restart of the backend and a step whose worker died is taken
 * over by another one.
 *
 * Timestamps have no database default: the run store writes them all from one
 * clock, so that they compare with each other on SQLite as on PostgreSQL.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('runs', table => {
    table.comment(
      'Executions of a pipeline for a region or one of its accounts',
    );
    table.string('id').primary().notNullable().comment('UUID of the run');
    table
      .string('pipeline')
      .notNullable()
      .comment('Pipeline run, such as mint');
    table
      .string('region')
      .notNullable()
      .comment('Name of the region OU the run acts on');
    table
      .string('account')
      .nullable()
      .comment('Name of the account, for a run limited to one account');
    table
      .string('status')
      .notNullable()
      .comment('queued, running, succeeded, failed or cancelled');
    table
      .string('requested_by')
      .notNullable()
      .comment('Entity ref of the requester, or the scheduler');
    table.timestamp('created_at', { useTz: true }).notNullable();
    table.timestamp('started_at', { useTz: true }).nullable();
    table.timestamp('finished_at', { useTz: true }).nullable();
    table
      .text('error')
      .nullable()
      .comment('Why the run failed, from its first failed step');
    table.index(['region', 'pipeline', 'status'], 'runs_target_status_idx');
    table.index(['created_at'], 'runs_created_at_idx');
  });

  await knex.schema.createTable('steps', table => {
    table.comment('Steps of a run, each leased by one worker at a time');
    table.string('id').primary().notNullable().comment('UUID of the step');
    table
      .string('run_id')
      .notNullable()
      .references('id')
      .inTable('runs')
      .onDelete('CASCADE');
    table
      .integer('position')
      .notNullable()
      .comment('Order of the step in its run, as created');
    table.string('key').notNullable().comment('Unique within the run');
    table
      .string('kind')
      .notNullable()
      .comment('What the executor does, such as mint-account');
    table.string('title').notNullable();
    table.text('target').notNullable().comment('JSON: what the step acts on');
    table
      .text('depends_on')
      .notNullable()
      .comment('JSON: keys of the steps that must succeed first');
    table
      .string('status')
      .notNullable()
      .comment('pending, running, succeeded, failed, cancelled or blocked');
    table
      .integer('attempts')
      .notNullable()
      .comment('Number of times a worker claimed the step');
    table
      .timestamp('not_before', { useTz: true })
      .nullable()
      .comment('A pending step is not claimed before this time (backoff)');
    table
      .string('lease_owner')
      .nullable()
      .comment('Worker that holds the step while running');
    table
      .timestamp('lease_expires_at', { useTz: true })
      .nullable()
      .comment('After this time another worker may take the step over');
    table.timestamp('started_at', { useTz: true }).nullable();
    table.timestamp('finished_at', { useTz: true }).nullable();
    table.text('plan').nullable().comment('JSON: the plan the step computed');
    table
      .text('state')
      .nullable()
      .comment('JSON: what a resumed attempt must know, such as intents');
    table.text('outputs').nullable().comment('JSON: results of the step');
    table.text('error').nullable().comment('Error of the last attempt');
    table.unique(['run_id', 'key'], { indexName: 'steps_run_id_key_uniq' });
    table.index(['status', 'not_before'], 'steps_status_not_before_idx');
  });

  await knex.schema.createTable('step_logs', table => {
    table.comment('Log lines written by the steps of runs');
    table.increments('id').primary();
    table
      .string('run_id')
      .notNullable()
      .references('id')
      .inTable('runs')
      .onDelete('CASCADE');
    table
      .string('step_id')
      .notNullable()
      .references('id')
      .inTable('steps')
      .onDelete('CASCADE');
    table.timestamp('time', { useTz: true }).notNullable();
    table.string('level').notNullable().comment('debug, info, warn or error');
    table.text('message').notNullable();
    table.index(['run_id', 'id'], 'step_logs_run_id_id_idx');
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('step_logs');
  await knex.schema.dropTable('steps');
  await knex.schema.dropTable('runs');
};
