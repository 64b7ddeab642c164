import { JsonObject } from '@backstage/types';
import {
  NewStep,
  PipelineName,
  RunMode,
  RunRecord,
  RunStatus,
  StepLogLine,
  StepRecord,
  StepStatus,
  StepTarget,
} from './types';

/**
 * A timestamp as the database gives it back: PostgreSQL returns a Date, while
 * better-sqlite3 stores the Date bindings knex hands it as epoch milliseconds.
 */
export type DbTimestamp = Date | number;

export interface RunRow {
  id: string;
  pipeline: PipelineName;
  mode: RunMode;
  region: string;
  account: string | null;
  status: RunStatus;
  requested_by: string;
  created_at: DbTimestamp;
  started_at: DbTimestamp | null;
  finished_at: DbTimestamp | null;
  error: string | null;
}

export interface StepRow {
  id: string;
  run_id: string;
  position: number;
  key: string;
  kind: string;
  title: string;
  target: string;
  depends_on: string;
  status: StepStatus;
  attempts: number;
  not_before: DbTimestamp | null;
  lease_owner: string | null;
  lease_expires_at: DbTimestamp | null;
  started_at: DbTimestamp | null;
  finished_at: DbTimestamp | null;
  plan: string | null;
  state: string | null;
  outputs: string | null;
  error: string | null;
  /** The ended attempts, a JSON array of AttemptSpan. */
  attempt_spans: string | null;
  /** When the attempt going on began, until it ends. */
  attempt_started_at: DbTimestamp | null;
}

export interface StepLogRow {
  id: number;
  run_id: string;
  step_id: string;
  time: DbTimestamp;
  level: StepLogLine['level'];
  message: string;
}

export function newRunRow(options: {
  id: string;
  pipeline: PipelineName;
  mode?: RunMode;
  region: string;
  account?: string;
  requestedBy: string;
  createdAt: Date;
}): RunRow {
  return {
    id: options.id,
    pipeline: options.pipeline,
    mode: options.mode ?? 'apply',
    region: options.region,
    account: options.account ?? null,
    status: 'queued',
    requested_by: options.requestedBy,
    created_at: options.createdAt,
    started_at: null,
    finished_at: null,
    error: null,
  };
}

export function newStepRow(options: {
  id: string;
  runId: string;
  position: number;
  step: NewStep;
}): StepRow {
  const { step } = options;
  return {
    id: options.id,
    run_id: options.runId,
    position: options.position,
    key: step.key,
    kind: step.kind,
    title: step.title,
    target: JSON.stringify(step.target),
    depends_on: JSON.stringify(step.dependsOn),
    status: 'pending',
    attempts: 0,
    not_before: null,
    lease_owner: null,
    lease_expires_at: null,
    started_at: null,
    finished_at: null,
    plan: null,
    state: null,
    outputs: null,
    error: null,
    attempt_spans: null,
    attempt_started_at: null,
  };
}

export function toRunRecord(row: RunRow): RunRecord {
  return {
    id: row.id,
    pipeline: row.pipeline,
    mode: row.mode,
    region: row.region,
    account: row.account ?? undefined,
    status: row.status,
    requestedBy: row.requested_by,
    createdAt: toIsoString(row.created_at),
    startedAt: toOptionalIsoString(row.started_at),
    finishedAt: toOptionalIsoString(row.finished_at),
    error: row.error ?? undefined,
  };
}

export function toStepRecord(row: StepRow): StepRecord {
  return {
    id: row.id,
    runId: row.run_id,
    key: row.key,
    kind: row.kind,
    title: row.title,
    target: JSON.parse(row.target) as StepTarget,
    dependsOn: parseDependsOn(row),
    status: row.status,
    attempts: row.attempts,
    notBefore: toOptionalIsoString(row.not_before),
    leaseOwner: row.lease_owner ?? undefined,
    leaseExpiresAt: toOptionalIsoString(row.lease_expires_at),
    startedAt: toOptionalIsoString(row.started_at),
    finishedAt: toOptionalIsoString(row.finished_at),
    plan: parseOptionalJsonObject(row.plan),
    state: parseOptionalJsonObject(row.state),
    outputs: parseOptionalJsonObject(row.outputs),
    error: row.error ?? undefined,
    ...attemptSpansOf(row),
  };
}

type AttemptSpan = NonNullable<StepRecord['attemptSpans']>[number];

function endedAttempts(row: Pick<StepRow, 'attempt_spans'>): AttemptSpan[] {
  return row.attempt_spans === null
    ? []
    : (JSON.parse(row.attempt_spans) as AttemptSpan[]);
}

/**
 * The ended attempts with the one going on, which ends with the step if it was
 * finished without its worker (a cancellation); none for steps timed before spans.
 */
function attemptSpansOf(
  row: StepRow,
): Pick<StepRecord, 'attemptSpans'> | undefined {
  const spans = endedAttempts(row);
  if (row.attempt_started_at !== null) {
    const finished = row.status !== 'running' && row.status !== 'pending';
    spans.push({
      startedAt: toIsoString(row.attempt_started_at),
      ...(finished && row.finished_at !== null
        ? { finishedAt: toIsoString(row.finished_at) }
        : {}),
    });
  }
  return spans.length > 0 ? { attemptSpans: spans } : undefined;
}

/** The columns that end a step's attempt going on at `now`, adding it to the ended ones. */
export function endAttempt(
  row: Pick<StepRow, 'attempt_spans' | 'attempt_started_at'>,
  now: Date,
): Pick<StepRow, 'attempt_spans' | 'attempt_started_at'> {
  if (row.attempt_started_at === null) return row;
  const ended: AttemptSpan = {
    startedAt: toIsoString(row.attempt_started_at),
    finishedAt: now.toISOString(),
  };
  return {
    attempt_spans: JSON.stringify([...endedAttempts(row), ended]),
    attempt_started_at: null,
  };
}

/** A step's outcome with its run's region, as the estate reads accounts' last results. */
export type StepResult = Pick<
  StepRecord,
  'runId' | 'kind' | 'target' | 'status' | 'startedAt' | 'finishedAt'
> & { region: string };

export type StepResultRow = Pick<
  StepRow,
  'run_id' | 'kind' | 'target' | 'status' | 'started_at' | 'finished_at'
> & { region: string };

export function toStepResult(row: StepResultRow): StepResult {
  return {
    runId: row.run_id,
    region: row.region,
    kind: row.kind,
    target: JSON.parse(row.target) as StepTarget,
    status: row.status,
    startedAt: toOptionalIsoString(row.started_at),
    finishedAt: toOptionalIsoString(row.finished_at),
  };
}

export function toLogLine(row: StepLogRow): StepLogLine & { id: number } {
  return {
    id: row.id,
    stepId: row.step_id,
    time: toIsoString(row.time),
    level: row.level,
    message: row.message,
  };
}

export function parseDependsOn(row: Pick<StepRow, 'depends_on'>): string[] {
  return JSON.parse(row.depends_on) as string[];
}

/** The text stored in a JSON column, null when there is nothing to store. */
export function toJsonText(value: JsonObject | undefined): string | null {
  return value === undefined ? null : JSON.stringify(value);
}

function parseOptionalJsonObject(text: string | null): JsonObject | undefined {
  return text === null ? undefined : (JSON.parse(text) as JsonObject);
}

function toIsoString(value: DbTimestamp): string {
  return new Date(value).toISOString();
}

export function toOptionalIsoString(
  value: DbTimestamp | null,
): string | undefined {
  return value === null ? undefined : toIsoString(value);
}
