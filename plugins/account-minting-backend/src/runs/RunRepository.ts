import { ConflictError, InputError, NotFoundError } from '@backstage/errors';
import {
  Page,
  RETRYABLE_RUN_STATUSES as RETRYABLE,
} from '@regional-minting/plugin-account-minting-common';
import { Knex } from 'knex';
import { randomUUID } from 'node:crypto';
import {
  DbTimestamp,
  endAttempt,
  newRunRow,
  newStepRow,
  RunRow,
  StepResult,
  StepResultRow,
  StepRow,
  toOptionalIsoString,
  toRunRecord,
  toStepRecord,
  toStepResult,
} from './rows';
import {
  ACTIVE_RUN_STATUSES,
  asActiveRunConflict,
  getRunRow,
  lockRun,
  RunEvents,
  settleRun,
} from './runRows';
import {
  NewStep,
  PipelineName,
  RunMode,
  RunRecord,
  RunStatus,
  StepRecord,
  StepStatus,
} from './types';
import { assertValidSteps } from './validateSteps';

/** Runs a page holds when the caller does not say. */
export const DEFAULT_RUN_PAGE = 100;
/** The most runs a page holds. */
export const MAX_RUN_PAGE = 500;

const RETRYABLE_RUN_STATUSES: RunStatus[] = [...RETRYABLE];
const RETRYABLE_STEP_STATUSES: StepStatus[] = [
  'failed',
  'blocked',
  'cancelled',
];

export interface NewRun {
  pipeline: PipelineName;
  mode?: RunMode;
  region: string;
  account?: string;
  requestedBy: string;
  steps: NewStep[];
}

export interface RunFilter {
  region?: string;
  pipeline?: string;
  status?: RunStatus[];
}

/** Runs and their steps: the commands people give and what the portal reads. */
export interface RunRepository {
  /** Creates a queued run with its steps, all pending. */
  createRun(
    run: NewRun,
    db?: Knex,
  ): Promise<{ run: RunRecord; steps: StepRecord[] }>;
  /**
   * Creates a run, or returns the queued or running run of the same target when
   * there is one: asking twice, on one backend or on two at once, starts one run.
   * Pass a transaction to make the run part of it.
   */
  startOrJoin(run: NewRun, db?: Knex): Promise<RunRecord>;
  getRun(id: string): Promise<RunRecord>;
  /**
   * Runs, newest first (by id among runs created at the same time), a page at a
   * time: `limit` runs (at most MAX_RUN_PAGE), after the `cursor` of the page before.
   */
  listRuns(
    filter?: RunFilter & { cursor?: string; limit?: number },
  ): Promise<Page<RunRecord>>;
  /**
   * The oldest queued or running run of a pipeline for exactly this target: the
   * region as a whole when no account is given, else that account of it.
   */
  findActiveRun(
    region: string,
    pipeline: string,
    account?: string,
    db?: Knex,
  ): Promise<RunRecord | undefined>;
  /**
   * Cancels a queued or running run: its pending steps will not run, and its
   * running steps stop when their workers next heartbeat.
   */
  cancelRun(id: string): Promise<RunRecord>;
  /**
   * Queues a failed or cancelled run again: the steps that did not succeed run
   * again with their state (such as a creation's intent) and a fresh count of
   * attempts, and the succeeded ones stay done.
   */
  retryRun(id: string): Promise<RunRecord>;
  /** The steps of a run in creation order; none for an unknown run. */
  getSteps(runId: string): Promise<StepRecord[]>;
  getStep(stepId: string): Promise<StepRecord>;
  /** The newest run of each region, keyed by region. */
  latestRunPerRegion(): Promise<Map<string, RunRecord>>;
  /**
   * For each target and kind of step, the steps of the newest run that has one,
   * with their run's region, newest run first: what the estate reads each
   * account's last result of each pipeline from, however long the history.
   */
  latestStepsOfKinds(kinds: string[]): Promise<StepResult[]>;
  /** When the last step of any run finished: whatever changed in AWS changed by then. */
  lastStepFinishedAt(): Promise<string | undefined>;
  /**
   * The regions of apply runs with a step finished after `since` (all of them without it):
   * where AWS may have changed since then. Drift checks change nothing and are left out.
   */
  regionsChangedSince(since: string | undefined): Promise<string[]>;
}

/** The run repository on the plugin's database. */
export class DatabaseRunRepository implements RunRepository {
  private readonly knex: Knex;
  private readonly now: () => Date;
  private readonly onRunFinished: (run: RunRecord) => void;

  constructor(
    options: {
      knex: Knex;
      /** The clock of every timestamp written; tests move it. */
      now?: () => Date;
    } & Pick<RunEvents, 'onRunFinished'>,
  ) {
    this.knex = options.knex;
    this.now = options.now ?? (() => new Date());
    this.onRunFinished = options.onRunFinished ?? (() => {});
  }

  async createRun(
    options: NewRun,
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

  async startOrJoin(options: NewRun, db: Knex = this.knex): Promise<RunRecord> {
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

  async listRuns(
    filter: RunFilter & { cursor?: string; limit?: number } = {},
  ): Promise<Page<RunRecord>> {
    const limit = pageLimit(filter.limit);
    const after = filter.cursor ? decodeRunCursor(filter.cursor) : undefined;
    const rows: RunRow[] = await this.knex('runs')
      .modify(query => {
        if (filter.region !== undefined) query.where('region', filter.region);
        if (filter.pipeline !== undefined) {
          query.where('pipeline', filter.pipeline);
        }
        if (filter.status !== undefined) query.whereIn('status', filter.status);
        if (after) {
          query.where(older =>
            older
              .where('created_at', '<', after.createdAt)
              .orWhere(tie =>
                tie
                  .where('created_at', after.createdAt)
                  .where('id', '<', after.id),
              ),
          );
        }
      })
      .orderBy([
        { column: 'created_at', order: 'desc' },
        { column: 'id', order: 'desc' },
      ])
      // One more than the page tells whether a next page exists.
      .limit(limit + 1);
    const items = rows.slice(0, limit).map(toRunRecord);
    const last = items.at(-1);
    return rows.length > limit && last
      ? { items, nextCursor: encodeRunCursor(last) }
      : { items };
  }

  async lastStepFinishedAt(): Promise<string | undefined> {
    const row: { last?: DbTimestamp | null } | undefined = await this.knex(
      'steps',
    )
      .max({ last: 'finished_at' })
      .first();
    return toOptionalIsoString(row?.last ?? null);
  }

  async regionsChangedSince(since: string | undefined): Promise<string[]> {
    const query = this.knex('steps')
      .join('runs', 'runs.id', 'steps.run_id')
      .where('runs.mode', 'apply')
      .whereNotNull('steps.finished_at')
      .distinct('runs.region');
    if (since) query.where('steps.finished_at', '>', new Date(since));
    const rows: { region: string }[] = await query;
    return rows.map(row => row.region);
  }

  async latestRunPerRegion(): Promise<Map<string, RunRecord>> {
    const rows: RunRow[] = await this.knex('runs')
      .whereIn(
        ['region', 'created_at'],
        this.knex('runs').select('region').max('created_at').groupBy('region'),
      )
      .orderBy('id');
    return new Map(rows.map(row => [row.region, toRunRecord(row)]));
  }

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
    if (finished) this.onRunFinished(finished);
    return run;
  }

  async retryRun(id: string): Promise<RunRecord> {
    const retried = this.knex.transaction(async tx => {
      const run = await lockRun(tx, id);
      if (!RETRYABLE_RUN_STATUSES.includes(run.status)) {
        throw new ConflictError(
          `Run ${id} is ${run.status}: only a failed or cancelled run can be retried`,
        );
      }
      // An attempt its worker did not end (the run was cancelled) ended with the step,
      // so that the retry's first attempt does not span the time in between.
      const unended: StepRow[] = await tx('steps')
        .where('run_id', id)
        .whereIn('status', RETRYABLE_STEP_STATUSES)
        .whereNotNull('attempt_started_at');
      for (const row of unended) {
        await tx('steps')
          .where('id', row.id)
          .update(endAttempt(row, new Date(row.finished_at ?? this.now())));
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
}

/** A page's size: the default when not given, never above the maximum. */
function pageLimit(limit: number | undefined): number {
  if (limit === undefined) return DEFAULT_RUN_PAGE;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_RUN_PAGE) {
    throw new InputError(
      `limit: must be a whole number from 1 to ${MAX_RUN_PAGE}`,
    );
  }
  return limit;
}

/** The cursor after a run: its creation time and id, opaque to clients. */
function encodeRunCursor(run: RunRecord): string {
  return Buffer.from(
    JSON.stringify([Date.parse(run.createdAt), run.id]),
  ).toString('base64url');
}

function decodeRunCursor(cursor: string): { createdAt: Date; id: string } {
  try {
    const [time, id] = JSON.parse(
      Buffer.from(cursor, 'base64url').toString('utf8'),
    );
    if (Number.isSafeInteger(time) && typeof id === 'string') {
      return { createdAt: new Date(time), id };
    }
  } catch {
    // Not JSON: refused below like any other cursor this API did not give.
  }
  throw new InputError('cursor: must be the nextCursor of a previous page');
}
