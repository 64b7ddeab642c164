import { ConflictError, NotFoundError } from '@backstage/errors';
import { ACTIVE_RUN_STATUSES as ACTIVE } from '@regional-minting/plugin-account-minting-common';
import { Knex } from 'knex';
import { RunRow, StepRow, toRunRecord, toStepRecord } from './rows';
import {
  finalRunOutcome,
  findStepsToBlock,
  hasUnfinishedSteps,
} from './settlement';
import { RunRecord, RunStatus, StepRecord } from './types';

/**
 * The database work the run repository and the step queue share. Every change
 * that must not race takes the run's row lock first (a no-op on SQLite, whose
 * writers are serialised anyway), so that locks are always taken run first,
 * then steps.
 */

/** -common's statuses of runs under way, as the list queries take. */
export const ACTIVE_RUN_STATUSES: RunStatus[] = [...ACTIVE];

/** Who is told of runs and steps that finished, once the change is committed. */
export interface RunEvents {
  /** Told of each run once it has finished, after its last change is committed. */
  onRunFinished?: (run: RunRecord) => void;
  /** Told of each step a worker finished, succeeded or failed, once committed. */
  onStepFinished?: (step: StepRecord) => void;
}

/**
 * Marks the pending steps that can no longer run as blocked and, when no step is
 * left to run, finishes the run. Called with the run locked.
 */
/** Blocks what can no longer run and finishes the run when nothing is left; returns the run it finished. */
export async function settleRun(
  tx: Knex.Transaction,
  runId: string,
  now: Date,
): Promise<RunRecord | undefined> {
  const run = await getRunRow(tx, runId);
  const stepRows: StepRow[] = await tx('steps')
    .where('run_id', runId)
    .orderBy('position');
  const steps = stepRows.map(toStepRecord);
  const toBlock = findStepsToBlock(steps);
  if (toBlock.length > 0) {
    await tx('steps')
      .whereIn(
        'id',
        toBlock.map(step => step.id),
      )
      .update({ status: 'blocked' });
  }
  const settled = steps.map(step =>
    toBlock.includes(step) ? { ...step, status: 'blocked' as const } : step,
  );
  if (hasUnfinishedSteps(settled.map(step => step.status))) {
    return undefined;
  }
  const outcome = finalRunOutcome(run.status, settled);
  await tx('runs')
    .where('id', runId)
    .update({
      status: outcome.status,
      error: outcome.error ?? null,
      finished_at: now,
    });
  return run.finished_at
    ? undefined
    : toRunRecord({
        ...run,
        status: outcome.status,
        error: outcome.error ?? null,
        finished_at: now,
      });
}

export async function getRunRow(
  db: Knex,
  id: string,
  options: { lock?: boolean } = {},
): Promise<RunRow> {
  const row: RunRow | undefined = await db('runs')
    .where('id', id)
    .modify(query => {
      if (options.lock) query.forUpdate();
    })
    .first();
  if (!row) {
    throw new NotFoundError(`No run with id ${id}`);
  }
  return row;
}

/** Reads the run and locks its row until the transaction ends (PostgreSQL). */
export function lockRun(tx: Knex.Transaction, id: string): Promise<RunRow> {
  return getRunRow(tx, id, { lock: true });
}

export async function lockRunOfStep(
  tx: Knex.Transaction,
  stepId: string,
): Promise<RunRow> {
  const step: Pick<StepRow, 'run_id'> | undefined = await tx('steps')
    .where('id', stepId)
    .first('run_id');
  if (!step) {
    throw new NotFoundError(`No step with id ${stepId}`);
  }
  return lockRun(tx, step.run_id);
}

/**
 * The database refuses a second queued or running run for one target (a unique index):
 * that refusal, as the ConflictError callers expect; other errors unchanged.
 */
export function asActiveRunConflict(
  error: unknown,
  target: { pipeline: string; region: string; account?: string },
): unknown {
  const { code } = error as { code?: string };
  if (code !== '23505' && code !== 'SQLITE_CONSTRAINT_UNIQUE') return error;
  return new ConflictError(
    `a ${target.pipeline} run for ${
      target.account ?? target.region
    } is already queued or running`,
  );
}

export function isPostgres(knex: Knex): boolean {
  return String(knex.client.config.client).includes('pg');
}
