import { ConflictError, InputError, NotFoundError } from '@backstage/errors';
import { JsonObject } from '@backstage/types';
import { Knex } from 'knex';
import { randomUUID } from 'node:crypto';
import {
  DbTimestamp,
  newRunRow,
  newStepRow,
  parseDependsOn,
  RunRow,
  StepLogRow,
  StepResult,
  StepResultRow,
  StepRow,
  toJsonText,
  toOptionalIsoString,
  toLogLine,
  toRunRecord,
  toStepRecord,
  toStepResult,
} from './rows';
import {
  finalRunOutcome,
  findStepsToBlock,
  hasUnfinishedSteps,
} from './settlement';
import {
  NewStep,
  PipelineName,
  RunMode,
  RunRecord,
  RunStatus,
  StepLogLine,
  StepRecord,
  StepStatus,
} from './types';
import { assertValidSteps } from './validateSteps';

/**
 * The database refuses a second queued or running run for one target (a unique index):
 * that refusal, as the ConflictError callers expect; other errors unchanged.
 */
function asActiveRunConflict(
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

/** What claimStep reads of a step before trying to claim it. */
type ClaimCandidate = Pick<
  StepRow,
  'id' | 'run_id' | 'status' | 'attempts' | 'depends_on'
>;

const ACTIVE_RUN_STATUSES: RunStatus[] = ['queued', 'running'];
const RETRYABLE_RUN_STATUSES: RunStatus[] = ['failed', 'cancelled'];
const RETRYABLE_STEP_STATUSES: StepStatus[] = [
  'failed',
  'blocked',
  'cancelled',
];

export interface RunStoreOptions {
  knex: Knex;
  /** Told of each run once it has finished, after its last change is committed. */
  onRunFinished?: (run: RunRecord) => void;
  /** Told of each step a worker finished, succeeded or failed, once committed. */
  onStepFinished?: (step: StepRecord) => void;
  /** The clock of every timestamp the store writes and of lease expiry; tests move it. */
  now?: () => Date;
}

/**
 * The durable state of runs and their steps.
 *
 * Workers on any number of backends share one database: a worker claims a step,
 * which gives it a lease that it extends by heartbeats while it works. A step
 * whose lease expired (its worker died) is claimed again by another worker.
 * Every change that must not race takes the run's row lock first (a no-op on
 * SQLite, whose writers are serialised anyway), so that locks are always taken
 * run first, then steps.
 *
 * Lease expiry compares the clocks of the backends, so those must agree to
 * well within a lease.
 */
export class RunStore {
  private readonly knex: Knex;
  private readonly now: () => Date;

  private readonly onRunFinished: (run: RunRecord) => void;
  private readonly onStepFinished: (step: StepRecord) => void;

  constructor(options: RunStoreOptions) {
    this.knex = options.knex;
    this.now = options.now ?? (() => new Date());
    this.onRunFinished = options.onRunFinished ?? (() => {});
    this.onStepFinished = options.onStepFinished ?? (() => {});
  }

  /** Passes on a run that a committed change finished. */
  private finished(run: RunRecord | undefined): void {
    if (run) this.onRunFinished(run);
  }

  /** Creates a queued run with its steps, all pending. */
  async createRun(
    options: {
      pipeline: PipelineName;
      mode?: RunMode;
      region: string;
      account?: string;
      requestedBy: string;
      steps: NewStep[];
    },
    db: Knex = this.knex,
  ): Promise<{ run: RunRecord; steps: StepRecord[] }> {
    assertValidSteps(options.steps);
    const runRow = newRunRow({
      ...options,
      id: randomUUID(),
      createdAt: this.now(),
    });
    const stepRows = options.steps.map((step, position) =>
      newStepRow({ id: randomUUID(), runId: runRow.id, position, step }),
    );
    await db
      .transaction(async tx => {
        await tx('runs').insert(runRow);
        await tx('steps').insert(stepRows);
      })
      .catch(error => {
        throw asActiveRunConflict(error, options);
      });
    return { run: toRunRecord(runRow), steps: stepRows.map(toStepRecord) };
  }

  /**
   * Creates a run, or returns the queued or running run of the same target when
   * there is one: asking twice, on one backend or on two at once, starts one run.
   * Pass a transaction to make the run part of it.
   */
  async startOrJoin(
    options: Parameters<RunStore['createRun']>[0],
    db: Knex = this.knex,
  ): Promise<RunRecord> {
    const active = () =>
      this.findActiveRun(options.region, options.pipeline, options.account, db);
    const running = await active();
    if (running) return running;
    try {
      return (await this.createRun(options, db)).run;
    } catch (error) {
      // Another request started the same run first: that is the run.
      const started =
        error instanceof ConflictError ? await active() : undefined;
      if (!started) throw error;
      return started;
    }
  }

  async getRun(id: string): Promise<RunRecord> {
    return toRunRecord(await getRunRow(this.knex, id));
  }

  /** Runs, newest first. */
  async listRuns(
    filter: {
      region?: string;
      pipeline?: string;
      status?: RunStatus[];
      limit?: number;
    } = {},
  ): Promise<RunRecord[]> {
    const rows: RunRow[] = await this.knex('runs')
      .modify(query => {
        if (filter.region !== undefined) query.where('region', filter.region);
        if (filter.pipeline !== undefined) {
          query.where('pipeline', filter.pipeline);
        }
        if (filter.status !== undefined) query.whereIn('status', filter.status);
        if (filter.limit !== undefined) query.limit(filter.limit);
      })
      .orderBy([
        { column: 'created_at', order: 'desc' },
        { column: 'id', order: 'desc' },
      ]);
    return rows.map(toRunRecord);
  }

  /** When the last step of any run finished: whatever changed in AWS changed by then. */
  async lastStepFinishedAt(): Promise<string | undefined> {
    const row: { last?: DbTimestamp | null } | undefined = await this.knex(
      'steps',
    )
      .max({ last: 'finished_at' })
      .first();
    return toOptionalIsoString(row?.last ?? null);
  }

  /** The newest run of each region, keyed by region. */
  async latestRunPerRegion(): Promise<Map<string, RunRecord>> {
    const rows: RunRow[] = await this.knex('runs')
      .whereIn(
        ['region', 'created_at'],
        this.knex('runs').select('region').max('created_at').groupBy('region'),
      )
      .orderBy('id');
    return new Map(rows.map(row => [row.region, toRunRecord(row)]));
  }

  /**
   * For each target and kind of step, the steps of the newest run that has one,
   * with their run's region, newest run first: what the estate reads each
   * account's last result of each pipeline from, however long the history.
   */
  async latestStepsOfKinds(kinds: string[]): Promise<StepResult[]> {
    const ranked = this.knex('steps')
      .join('runs', 'runs.id', 'steps.run_id')
      .whereIn('steps.kind', kinds)
      .select(
        'steps.run_id',
        'steps.kind',
        'steps.target',
        'steps.status',
        'steps.started_at',
        'steps.finished_at',
        'steps.position',
        'runs.region',
        'runs.created_at',
        this.knex.raw(
          'DENSE_RANK() OVER (PARTITION BY runs.region, steps.target, steps.kind ORDER BY runs.created_at DESC, runs.id DESC) AS newness',
        ),
      )
      .as('ranked');
    const rows: StepResultRow[] = await this.knex
      .from(ranked)
      .where('newness', 1)
      .select(
        'run_id',
        'kind',
        'target',
        'status',
        'started_at',
        'finished_at',
        'region',
      )
      .orderBy([
        { column: 'created_at', order: 'desc' },
        { column: 'run_id', order: 'desc' },
        { column: 'position', order: 'asc' },
      ]);
    return rows.map(toStepResult);
  }

  /** The steps of a run in creation order; none for an unknown run. */
  async getSteps(runId: string): Promise<StepRecord[]> {
    const rows: StepRow[] = await this.knex('steps')
      .where('run_id', runId)
      .orderBy('position');
    return rows.map(toStepRecord);
  }

  async getStep(stepId: string): Promise<StepRecord> {
    const row: StepRow | undefined = await this.knex('steps')
      .where('id', stepId)
      .first();
    if (!row) {
      throw new NotFoundError(`No step with id ${stepId}`);
    }
    return toStepRecord(row);
  }

  /**
   * The oldest queued or running run of a pipeline for exactly this target: the
   * region as a whole when no account is given, else that account of it.
   */
  async findActiveRun(
    region: string,
    pipeline: string,
    account?: string,
    db: Knex = this.knex,
  ): Promise<RunRecord | undefined> {
    const row: RunRow | undefined = await db('runs')
      .where({ region, pipeline, account: account ?? null })
      .whereIn('status', ACTIVE_RUN_STATUSES)
      .orderBy('created_at')
      .first();
    return row && toRunRecord(row);
  }

  /**
   * Takes one step for this worker, oldest runs first: a pending step whose
   * dependencies succeeded and whose backoff is over, or a running step whose
   * worker stopped renewing its lease. Several workers may call this at once:
   * each step goes to exactly one of them.
   */
  async claimStep(
    workerId: string,
    leaseMs: number,
  ): Promise<StepRecord | undefined> {
    const now = this.now();
    await this.cancelAbandonedSteps(now);
    for (const candidate of await this.findClaimableSteps(now)) {
      const claimed = await this.tryClaim(candidate, workerId, leaseMs, now);
      if (claimed) {
        return claimed;
      }
    }
    return undefined;
  }

  /**
   * Extends the worker's lease, even one that expired, as long as no other
   * worker took the step over. `lost` when another worker took the step or it
   * is no longer running; `cancelled` when its run was cancelled, so the worker
   * stops and calls completeStep, which records the step as cancelled.
   */
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

  /**
   * Records the plan or state of a step the worker holds. It is committed when
   * this returns, so an intent recorded before a call to AWS survives a crash
   * during the call.
   */
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

  /**
   * Finishes a step the worker holds, then settles its run. A step of a
   * cancelled run is recorded as cancelled, whatever its result.
   */
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
      await releaseStep(tx, stepId, workerId, {
        status: run.status === 'cancelled' ? 'cancelled' : result.status,
        finished_at: now,
        outputs: toJsonText(result.outputs),
        error: result.error ?? null,
      });
      const row: StepRow = await tx('steps').where('id', stepId).first();
      return {
        step: toStepRecord(row),
        finished: await settleRun(tx, run.id, now),
      };
    });
    this.onStepFinished(step);
    this.finished(finished);
  }

  /**
   * Puts a step the worker holds back to pending after a transient error, to be
   * claimed again from notBefore on; the error is kept for the UI. A step of a
   * cancelled run is recorded as cancelled instead.
   */
  async retryStepLater(
    stepId: string,
    workerId: string,
    notBefore: Date,
    error: string,
  ): Promise<void> {
    const now = this.now();
    const finished = await this.knex.transaction(async tx => {
      const run = await lockRunOfStep(tx, stepId);
      await releaseStep(
        tx,
        stepId,
        workerId,
        run.status === 'cancelled'
          ? { status: 'cancelled', finished_at: now, error }
          : { status: 'pending', not_before: notBefore, error },
      );
      return settleRun(tx, run.id, now);
    });
    this.finished(finished);
  }

  async appendLog(line: {
    runId: string;
    stepId: string;
    level: StepLogLine['level'];
    message: string;
  }): Promise<void> {
    await this.knex('step_logs').insert({
      run_id: line.runId,
      step_id: line.stepId,
      time: this.now(),
      level: line.level,
      message: line.message,
    });
  }

  /** Log lines of a run in the order written; afterId pages on from the last line seen. */
  async getLogs(
    runId: string,
    options: { stepId?: string; afterId?: number; limit?: number } = {},
  ): Promise<(StepLogLine & { id: number })[]> {
    const rows: StepLogRow[] = await this.knex('step_logs')
      .where('run_id', runId)
      .modify(query => {
        if (options.stepId !== undefined) {
          query.where('step_id', options.stepId);
        }
        if (options.afterId !== undefined) {
          query.where('id', '>', options.afterId);
        }
        if (options.limit !== undefined) query.limit(options.limit);
      })
      .orderBy('id');
    return rows.map(toLogLine);
  }

  /**
   * Cancels a queued or running run: its pending steps will not run, and its
   * running steps stop when their workers next heartbeat.
   */
  async cancelRun(id: string): Promise<RunRecord> {
    const now = this.now();
    const { run, finished } = await this.knex.transaction(async tx => {
      const locked = await lockRun(tx, id);
      if (!ACTIVE_RUN_STATUSES.includes(locked.status)) {
        throw new ConflictError(
          `Run ${id} is ${locked.status}: only a queued or running run can be cancelled`,
        );
      }
      await tx('runs').where('id', id).update({ status: 'cancelled' });
      await tx('steps')
        .where({ run_id: id, status: 'pending' })
        .update({ status: 'cancelled', finished_at: now });
      const settled = await settleRun(tx, id, now);
      return {
        run: toRunRecord(await getRunRow(tx, id)),
        finished: settled,
      };
    });
    this.finished(finished);
    return run;
  }

  /**
   * Queues a failed or cancelled run again: the steps that did not succeed run
   * again with their state (such as a creation's intent) and a fresh count of
   * attempts, and the succeeded ones stay done.
   */
  async retryRun(id: string): Promise<RunRecord> {
    const retried = this.knex.transaction(async tx => {
      const run = await lockRun(tx, id);
      if (!RETRYABLE_RUN_STATUSES.includes(run.status)) {
        throw new ConflictError(
          `Run ${id} is ${run.status}: only a failed or cancelled run can be retried`,
        );
      }
      await tx('steps')
        .where('run_id', id)
        .whereIn('status', RETRYABLE_STEP_STATUSES)
        .update({
          status: 'pending',
          attempts: 0,
          error: null,
          not_before: null,
          finished_at: null,
        });
      await tx('runs')
        .where('id', id)
        .update({ status: 'queued', error: null, finished_at: null });
      return toRunRecord(await getRunRow(tx, id));
    });
    return retried.catch(async error => {
      throw asActiveRunConflict(error, await this.getRun(id));
    });
  }

  /**
   * Candidates for claimStep, oldest runs first. The database checks the
   * status, backoff and lease; the dependencies, stored as JSON, are checked here.
   */
  private async findClaimableSteps(now: Date): Promise<ClaimCandidate[]> {
    const candidates: ClaimCandidate[] = await this.knex('steps')
      .join('runs', 'runs.id', 'steps.run_id')
      .modify(query => whereClaimable(this.knex, query, now))
      .orderBy(['runs.created_at', 'steps.run_id', 'steps.position'])
      .select(
        'steps.id',
        'steps.run_id',
        'steps.status',
        'steps.attempts',
        'steps.depends_on',
      );
    if (candidates.length === 0) {
      return [];
    }
    const succeeded = await this.findSucceededStepKeys(
      candidates.map(candidate => candidate.run_id),
    );
    return candidates.filter(
      candidate =>
        candidate.status === 'running' ||
        parseDependsOn(candidate).every(key =>
          succeeded.has(stepKeyInRun(candidate.run_id, key)),
        ),
    );
  }

  private async findSucceededStepKeys(runIds: string[]): Promise<Set<string>> {
    const rows: Pick<StepRow, 'run_id' | 'key'>[] = await this.knex('steps')
      .whereIn('run_id', [...new Set(runIds)])
      .where('status', 'succeeded')
      .select('run_id', 'key');
    return new Set(rows.map(row => stepKeyInRun(row.run_id, row.key)));
  }

  /**
   * Claims the candidate unless another worker changed it since it was read:
   * the update repeats the claimable condition and the attempts seen, and a
   * claim always increments attempts, so of two workers racing for one step
   * only one updates a row. Dependencies need no second check: a succeeded
   * step never goes back.
   */
  private async tryClaim(
    candidate: ClaimCandidate,
    workerId: string,
    leaseMs: number,
    now: Date,
  ): Promise<StepRecord | undefined> {
    return this.knex.transaction(async tx => {
      await lockRun(tx, candidate.run_id);
      const claimed = await tx('steps')
        .where({
          id: candidate.id,
          status: candidate.status,
          attempts: candidate.attempts,
        })
        .modify(query => whereClaimable(tx, query, now))
        .update({
          status: 'running',
          lease_owner: workerId,
          lease_expires_at: addMs(now, leaseMs),
          started_at: tx.raw('COALESCE(started_at, ?)', [now]),
          attempts: candidate.attempts + 1,
        });
      if (claimed === 0) {
        return undefined;
      }
      await tx('runs')
        .where({ id: candidate.run_id, status: 'queued' })
        .update({
          status: 'running',
          started_at: tx.raw('COALESCE(started_at, ?)', [now]),
        });
      return toStepRecord(await tx('steps').where('id', candidate.id).first());
    });
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
 * Steps a worker may claim, dependencies aside: pending in a queued or running
 * run with any backoff over, or running with an expired lease.
 */
function whereClaimable(
  db: Knex,
  query: Knex.QueryBuilder,
  now: Date,
): Knex.QueryBuilder {
  return query
    .whereIn(
      'steps.run_id',
      db('runs').select('id').whereIn('status', ACTIVE_RUN_STATUSES),
    )
    .where(claimable =>
      claimable
        .where(pending =>
          pending
            .where('steps.status', 'pending')
            .where(due =>
              due
                .whereNull('steps.not_before')
                .orWhere('steps.not_before', '<=', now),
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
 * Marks the pending steps that can no longer run as blocked and, when no step is
 * left to run, finishes the run. Called with the run locked.
 */
/** Blocks what can no longer run and finishes the run when nothing is left; returns the run it finished. */
async function settleRun(
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

/**
 * Ends the worker's lease on a step with the given changes; a ConflictError when
 * the worker no longer holds it.
 */
async function releaseStep(
  tx: Knex.Transaction,
  stepId: string,
  workerId: string,
  columns: Partial<StepRow>,
): Promise<void> {
  const released = await tx('steps')
    .where(leasedBy(stepId, workerId))
    .update({ ...columns, lease_owner: null, lease_expires_at: null });
  if (released === 0) {
    throw leaseNotHeld(stepId, workerId);
  }
}

async function getRunRow(
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
function lockRun(tx: Knex.Transaction, id: string): Promise<RunRow> {
  return getRunRow(tx, id, { lock: true });
}

async function lockRunOfStep(
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

/** The condition for a step that this worker holds. */
function leasedBy(stepId: string, workerId: string) {
  return { id: stepId, status: 'running', lease_owner: workerId };
}

function leaseNotHeld(stepId: string, workerId: string): ConflictError {
  return new ConflictError(
    `Worker ${workerId} does not hold the lease of step ${stepId}`,
  );
}

function stepKeyInRun(runId: string, key: string): string {
  return `${runId}\n${key}`;
}

function addMs(time: Date, ms: number): Date {
  return new Date(time.getTime() + ms);
}
