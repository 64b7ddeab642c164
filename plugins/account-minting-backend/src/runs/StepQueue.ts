import { ConflictError, InputError } from '@backstage/errors';
import { JsonObject } from '@backstage/types';
import { Knex } from 'knex';
import { endAttempt, RunRow, StepRow, toJsonText, toStepRecord } from './rows';
import {
  ACTIVE_RUN_STATUSES,
  isPostgres,
  lockRun,
  lockRunOfStep,
  RunEvents,
  settleRun,
} from './runRows';
import { RunRecord, StepRecord } from './types';

/**
 * The steps workers run, handed out with leases.
 *
 * Workers on any number of backends share one database: a worker claims steps,
 * which gives it a lease on each that it extends by heartbeats while it works.
 * A step whose lease expired (its worker died) is claimed again by another
 * worker. Lease expiry compares the clocks of the backends, so those must agree
 * to well within a lease.
 */
export interface StepQueue {
  /**
   * Takes up to `max` steps for this worker, oldest runs first: pending steps
   * whose dependencies succeeded and whose backoff is over, and running steps
   * whose worker stopped renewing its lease, in no particular order. Several
   * workers may call this at once: each step goes to exactly one of them.
   */
  claim(workerId: string, leaseMs: number, max: number): Promise<StepRecord[]>;
  /**
   * Extends the worker's lease, even one that expired, as long as no other
   * worker took the step over. `lost` when another worker took the step or it
   * is no longer running; `cancelled` when its run was cancelled, so the worker
   * stops and calls completeStep, which records the step as cancelled.
   */
  heartbeat(
    stepId: string,
    workerId: string,
    leaseMs: number,
  ): Promise<'ok' | 'lost' | 'cancelled'>;
  /**
   * Records the plan or state of a step the worker holds. It is committed when
   * this returns, so an intent recorded before a call to AWS survives a crash
   * during the call.
   */
  saveStepProgress(
    stepId: string,
    workerId: string,
    patch: { plan?: JsonObject; state?: JsonObject },
  ): Promise<void>;
  /**
   * Finishes a step the worker holds, then settles its run. A step of a
   * cancelled run is recorded as cancelled, whatever its result.
   */
  completeStep(
    stepId: string,
    workerId: string,
    result: {
      status: 'succeeded' | 'failed';
      outputs?: JsonObject;
      error?: string;
    },
  ): Promise<void>;
  /**
   * Puts a step the worker holds back to pending after a transient error, to be
   * claimed again from notBefore on; the error is kept for the UI. A step of a
   * cancelled run is recorded as cancelled instead.
   */
  retryStepLater(
    stepId: string,
    workerId: string,
    notBefore: Date,
    error: string,
    options?: {
      /** false for a step that waits for a known time: waiting is not a failed attempt. */
      countAttempt?: boolean;
    },
  ): Promise<void>;
}

/**
 * The step queue on the plugin's database, claiming as the scaffolder's task
 * store and the catalog's processing queue do: one statement picks the due
 * rows, dependencies checked in SQL, and leases them.
 */
export class DatabaseStepQueue implements StepQueue {
  private readonly knex: Knex;
  private readonly now: () => Date;
  private readonly onRunFinished: (run: RunRecord) => void;
  private readonly onStepFinished: (step: StepRecord) => void;

  constructor(
    options: {
      knex: Knex;
      /** The clock of every timestamp written and of lease expiry; tests move it. */
      now?: () => Date;
    } & RunEvents,
  ) {
    this.knex = options.knex;
    this.now = options.now ?? (() => new Date());
    this.onRunFinished = options.onRunFinished ?? (() => {});
    this.onStepFinished = options.onStepFinished ?? (() => {});
  }

  /** Passes on a run that a committed change finished. */
  private finished(run: RunRecord | undefined): void {
    if (run) this.onRunFinished(run);
  }

  /**
   * One UPDATE leases the first `max` claimable steps. On PostgreSQL its
   * subquery locks them with SKIP LOCKED, so two workers get disjoint batches.
   * A claim never waits for a lock, so it cannot deadlock with the changes that
   * lock a run before its steps: it starts only the queued runs it can lock at
   * once, as the others are being started by another claim or cancelled. On
   * SQLite each statement is one write, and writers are serialised.
   */
  async claim(
    workerId: string,
    leaseMs: number,
    max: number,
  ): Promise<StepRecord[]> {
    if (max < 1) return [];
    const now = this.now();
    await this.cancelAbandonedSteps(now);
    const postgres = isPostgres(this.knex);
    const rows: StepRow[] = await this.knex.transaction(async tx => {
      const due = tx('steps')
        .join('runs', 'runs.id', 'steps.run_id')
        .modify(query => whereClaimable(query, now, postgres))
        .orderBy(['runs.created_at', 'steps.run_id', 'steps.position'])
        .limit(max)
        .select('steps.id')
        .modify(query => {
          if (postgres) query.forUpdate('steps').skipLocked();
        });
      const claimed: StepRow[] = await tx('steps')
        .whereIn('id', due)
        .update(
          {
            status: 'running',
            lease_owner: workerId,
            lease_expires_at: addMs(now, leaseMs),
            started_at: tx.raw('COALESCE(started_at, ?)', [now]),
            attempts: tx.raw('attempts + 1'),
            // A step taken up again after a wait or a lost lease continues its attempt.
            attempt_started_at: tx.raw('COALESCE(attempt_started_at, ?)', [
              now,
            ]),
          },
          '*',
        );
      const queued = tx('runs')
        .whereIn('id', [...new Set(claimed.map(row => row.run_id))])
        .where('status', 'queued')
        .select('id')
        .modify(query => {
          if (postgres) query.forUpdate().skipLocked();
        });
      await tx('runs')
        .whereIn('id', queued)
        .update({
          status: 'running',
          started_at: tx.raw('COALESCE(started_at, ?)', [now]),
        });
      return claimed;
    });
    return rows.map(toStepRecord);
  }

  async heartbeat(
    stepId: string,
    workerId: string,
    leaseMs: number,
  ): Promise<'ok' | 'lost' | 'cancelled'> {
    const extended = await this.knex('steps')
      .where(leasedBy(stepId, workerId))
      .update({ lease_expires_at: addMs(this.now(), leaseMs) });
    if (extended === 0) {
      return 'lost';
    }
    const run: Pick<RunRow, 'status'> = await this.knex('runs')
      .join('steps', 'steps.run_id', 'runs.id')
      .where('steps.id', stepId)
      .first('runs.status');
    return run.status === 'cancelled' ? 'cancelled' : 'ok';
  }

  async saveStepProgress(
    stepId: string,
    workerId: string,
    patch: { plan?: JsonObject; state?: JsonObject },
  ): Promise<void> {
    const columns = {
      ...(patch.plan && { plan: toJsonText(patch.plan) }),
      ...(patch.state && { state: toJsonText(patch.state) }),
    };
    if (Object.keys(columns).length === 0) {
      throw new InputError('Nothing to save: give a plan or a state');
    }
    const updated = await this.knex('steps')
      .where(leasedBy(stepId, workerId))
      .update(columns);
    if (updated === 0) {
      throw leaseNotHeld(stepId, workerId);
    }
  }

  async completeStep(
    stepId: string,
    workerId: string,
    result: {
      status: 'succeeded' | 'failed';
      outputs?: JsonObject;
      error?: string;
    },
  ): Promise<void> {
    const now = this.now();
    const { step, finished } = await this.knex.transaction(async tx => {
      const run = await lockRunOfStep(tx, stepId);
      await releaseStep(
        tx,
        stepId,
        workerId,
        {
          status: run.status === 'cancelled' ? 'cancelled' : result.status,
          finished_at: now,
          outputs: toJsonText(result.outputs),
          error: result.error ?? null,
        },
        now,
      );
      const row: StepRow = await tx('steps').where('id', stepId).first();
      return {
        step: toStepRecord(row),
        finished: await settleRun(tx, run.id, now),
      };
    });
    this.onStepFinished(step);
    this.finished(finished);
  }

  async retryStepLater(
    stepId: string,
    workerId: string,
    notBefore: Date,
    error: string,
    options: { countAttempt?: boolean } = {},
  ): Promise<void> {
    const now = this.now();
    const finished = await this.knex.transaction(async tx => {
      const run = await lockRunOfStep(tx, stepId);
      const cancelled = run.status === 'cancelled';
      // A wait gives back the attempt the claim counted, and goes on with it.
      const waits = !cancelled && options.countAttempt === false;
      await releaseStep(
        tx,
        stepId,
        workerId,
        cancelled
          ? { status: 'cancelled', finished_at: now, error }
          : {
              status: 'pending',
              not_before: notBefore,
              error,
              ...(waits
                ? { attempts: tx.raw('attempts - 1') as unknown as number }
                : {}),
            },
        waits ? undefined : now,
      );
      return settleRun(tx, run.id, now);
    });
    this.finished(finished);
  }

  /**
   * A running step of a cancelled run whose worker died would stay running
   * forever, and must not be handed to another worker: record it cancelled.
   */
  private async cancelAbandonedSteps(now: Date): Promise<void> {
    const abandoned: Pick<StepRow, 'id' | 'run_id'>[] = await this.knex('steps')
      .join('runs', 'runs.id', 'steps.run_id')
      .where('runs.status', 'cancelled')
      .where('steps.status', 'running')
      .where('steps.lease_expires_at', '<', now)
      .select('steps.id', 'steps.run_id');
    for (const step of abandoned) {
      const finished = await this.knex.transaction(async tx => {
        await lockRun(tx, step.run_id);
        const cancelled = await tx('steps')
          .where({ id: step.id, status: 'running' })
          .where('lease_expires_at', '<', now)
          .update({
            status: 'cancelled',
            lease_owner: null,
            lease_expires_at: null,
            finished_at: now,
          });
        return cancelled > 0 ? settleRun(tx, step.run_id, now) : undefined;
      });
      this.finished(finished);
    }
  }
}

/**
 * Steps a worker may claim: pending in a queued or running run, with any
 * backoff over and every step it depends on succeeded, or running with an
 * expired lease. The dependencies, a JSON array of keys, are read with the
 * database's own JSON functions.
 */
function whereClaimable(
  query: Knex.QueryBuilder,
  now: Date,
  postgres: boolean,
): Knex.QueryBuilder {
  const dependencies = postgres
    ? 'jsonb_array_elements_text(steps.depends_on::jsonb) AS dependency(key)'
    : 'json_each(steps.depends_on) AS dependency';
  const dependencyKey = postgres ? 'dependency.key' : 'dependency.value';
  return query.whereIn('runs.status', ACTIVE_RUN_STATUSES).where(claimable =>
    claimable
      .where(pending =>
        pending
          .where('steps.status', 'pending')
          .where(due =>
            due
              .whereNull('steps.not_before')
              .orWhere('steps.not_before', '<=', now),
          )
          .whereRaw(
            `NOT EXISTS (SELECT 1 FROM ${dependencies} WHERE NOT EXISTS (SELECT 1 FROM steps AS done WHERE done.run_id = steps.run_id AND done.key = ${dependencyKey} AND done.status = 'succeeded'))`,
          ),
      )
      .orWhere(abandoned =>
        abandoned
          .where('steps.status', 'running')
          .where('steps.lease_expires_at', '<', now),
      ),
  );
}

/**
 * Ends the worker's lease on a step with the given changes, and its attempt at
 * `attemptEndsAt` when given; a ConflictError when the worker no longer holds it.
 */
async function releaseStep(
  tx: Knex.Transaction,
  stepId: string,
  workerId: string,
  columns: Partial<StepRow>,
  attemptEndsAt?: Date,
): Promise<void> {
  let attempt: Partial<StepRow> = {};
  if (attemptEndsAt) {
    const current = await tx('steps')
      .where('id', stepId)
      .first('attempt_spans', 'attempt_started_at');
    if (current) attempt = endAttempt(current, attemptEndsAt);
  }
  const released = await tx('steps')
    .where(leasedBy(stepId, workerId))
    .update({
      ...columns,
      ...attempt,
      lease_owner: null,
      lease_expires_at: null,
    });
  if (released === 0) {
    throw leaseNotHeld(stepId, workerId);
  }
}

/** The condition for a step that this worker holds. */
function leasedBy(stepId: string, workerId: string) {
  return { id: stepId, status: 'running', lease_owner: workerId };
}

function leaseNotHeld(stepId: string, workerId: string): ConflictError {
  return new ConflictError(
    `Worker ${workerId} does not hold the lease of step ${stepId}`,
  );
}

function addMs(time: Date, ms: number): Date {
  return new Date(time.getTime() + ms);
}
