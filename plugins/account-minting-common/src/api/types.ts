import { JsonObject } from '@backstage/types';

// The JSON of the account-minting backend's REST API, as clients receive it:
// these mirror the backend's records, with timestamps as ISO 8601 strings.

/**
 * The design's three pipelines, in the order an account goes through them. Each
 * manages layers of its own, and has a drift check of them.
 */
export const CHECKED_PIPELINES = ['mint', 'bootstrap', 'provision'] as const;

/** A pipeline with a drift check. */
export type CheckedPipeline = (typeof CHECKED_PIPELINES)[number];

/** The pipelines a run can execute: the design's three, and the whole region (the three in order). */
export const PIPELINES = [...CHECKED_PIPELINES, 'region'] as const;

export type PipelineName = (typeof PIPELINES)[number];

/** The statuses of a run that is not finished. */
export const ACTIVE_RUN_STATUSES = ['queued', 'running'] as const;

/** The statuses of a finished run: it changes no more, unless retried. */
export const FINISHED_RUN_STATUSES = [
  'succeeded',
  'failed',
  'cancelled',
] as const;

/** Every status of a run, in the order a run goes through them. */
export const RUN_STATUSES = [
  ...ACTIVE_RUN_STATUSES,
  ...FINISHED_RUN_STATUSES,
] as const;

export type RunStatus = (typeof RUN_STATUSES)[number];

/** Whether a value is one of a list's, such as a status read from a URL: a guard for the lists above. */
export function isOneOf<T extends string>(
  list: readonly T[],
  value: unknown,
): value is T {
  return (list as readonly unknown[]).includes(value);
}

/**
 * pending: waits for its dependencies or its next attempt; running: leased by a worker;
 * blocked: a dependency failed or was cancelled, so it will not run.
 */
export type StepStatus =
  | 'pending'
  | 'running'
  | 'succeeded'
  | 'failed'
  | 'cancelled'
  | 'blocked';

/** What the run `region` of an estate-wide run (a drift check) holds. */
export const WHOLE_ESTATE = '*';

/**
 * apply: makes AWS match the desired state; check: a drift check, which observes
 * and plans, records the differences as findings and changes nothing.
 */
export type RunMode = 'apply' | 'check';

/** A run: one execution of a pipeline for a region, or for one account of it. */
export interface RunRecord {
  id: string;
  pipeline: PipelineName;
  mode: RunMode;
  /** The region OU name, such as dev-kirk-us-east-2, or WHOLE_ESTATE for a drift check. */
  region: string;
  /** The account name, for a run limited to one account. */
  account?: string;
  status: RunStatus;
  /** The entity ref of who asked, or the scheduler. */
  requestedBy: string;
  createdAt: string;
  startedAt?: string;
  finishedAt?: string;
  /** Why the run failed, from its first failed step. */
  error?: string;
}

/** What a step acts on. */
export interface StepTarget {
  payer: string;
  regionOu: string;
  account?: string;
}

export interface StepRecord {
  id: string;
  runId: string;
  /** Unique within the run, such as `ou` or `account:dev-kirk-us-east-2-rc`. */
  key: string;
  /** What the executor does for it, such as `mint-ou` or `mint-account`. */
  kind: string;
  title: string;
  target: StepTarget;
  /** Keys of the steps that must succeed first. */
  dependsOn: string[];
  status: StepStatus;
  attempts: number;
  /** A pending step is not claimed before this time (backoff after a transient error). */
  notBefore?: string;
  leaseOwner?: string;
  leaseExpiresAt?: string;
  startedAt?: string;
  finishedAt?: string;
  /** The plan the step computed. */
  plan?: JsonObject;
  /** What the step has done so far that a resumed attempt must know. */
  state?: JsonObject;
  outputs?: JsonObject;
  error?: string;
}

/** What `GET /runs/{id}` answers: the run and its steps in creation order. */
export interface RunWithSteps extends RunRecord {
  steps: StepRecord[];
}

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

/** A line of a run's log; its id orders the lines and pages on from the last one seen. */
export interface LogLine {
  id: number;
  stepId: string;
  time: string;
  level: LogLevel;
  message: string;
}

/** One thing a plan would do, with why. */
export type PlanAction =
  | {
      action: 'create-ou';
      target: string;
      parentPath: string;
      name: string;
      reason: string;
    }
  | {
      action: 'create-account';
      target: string;
      email: string;
      tags: Record<string, string>;
      reason: string;
    }
  | {
      action: 'wait-for-creation';
      target: string;
      requestId: string;
      reason: string;
    }
  | {
      action: 'move-account';
      target: string;
      accountId?: string;
      to: string;
      reason: string;
    }
  | {
      action: 'tag-account';
      target: string;
      accountId?: string;
      tags: Record<string, string>;
      reason: string;
    }
  | {
      action: 'untag-account';
      target: string;
      accountId: string;
      keys: string[];
      reason: string;
    }
  | { action: 'none'; target: string; reason: string };

export interface Plan {
  region: string;
  payer: string;
  actions: PlanAction[];
  /** How many actions change something. */
  changes: number;
}

/** What a dry run answers: the plan of a region, named by its region OU. */
export interface PlanResponse {
  region: string;
  plan: Plan;
}

/** An account a region should have. */
export interface DesiredAccount {
  name: string;
  email: string;
  role: string;
  index: number;
  /** Exactly the managed tags it should carry. */
  tags: Record<string, string>;
}

/** A region the estate should have: its OU path in its payer, and its accounts. */
export interface DesiredRegion {
  /** The region OU name, which names the region. */
  name: string;
  environment: string;
  region: string;
  owner?: string;
  payer: string;
  /** OU names from below the root down to the region OU. */
  ouPath: string[];
  accounts: DesiredAccount[];
}

/** A region of the desired estate, with where it comes from and its latest run. */
export interface RegionSummary extends DesiredRegion {
  /** Declared in configuration (reviewed in git), or requested through the API. */
  source: 'config' | 'request';
  requestedBy?: string;
  requestedAt?: string;
  /**
   * Why an accepted request no longer fits the configuration (a region no longer
   * allowed, an environment removed, ...): such a region is shown, never minted.
   */
  problem?: string;
  lastRun?: RunRecord;
}

/** What `POST /regions` answers: the region requested and the run minting it. */
export interface RegionRequestResponse {
  region: RegionSummary;
  run: RunRecord;
}

/** A pipeline to run for a region, or for one account of it. */
export interface RunRequest {
  pipeline: PipelineName;
  /** The region OU name. */
  region: string;
  account?: string;
}

/** Which runs `listRuns` returns; every given criterion must match. */
export interface RunFilter {
  region?: string;
  pipeline?: PipelineName;
  /** Any of these statuses. */
  status?: RunStatus[];
  /** The nextCursor of the page before; the first page without it. */
  cursor?: string;
  /** Runs in the page: from 1 to 500, 100 when absent. */
  limit?: number;
}

/** Which log lines `getRunLogs` returns. */
export interface LogQuery {
  stepId?: string;
  /** Only lines after this log line id, to page on from the last line seen. */
  after?: number;
  /** Lines in the page: from 1 to 5000, 1000 when absent. */
  limit?: number;
}

/** A page of a list, and where the next page starts when there may be one. */
export interface Page<T> {
  items: T[];
  nextCursor?: string;
}

/**
 * The last run of a pipeline that touched a region or an account: for an account, the
 * status of that run's steps of the pipeline on it (a StepStatus); for a region, the run's.
 */
export interface EstateLastRun {
  runId: string;
  status: RunStatus | StepStatus;
  startedAt?: string;
  finishedAt?: string;
}

/** An account of the estate tree: desired, observed in AWS, or both. */
export interface EstateAccount {
  name: string;
  id?: string;
  email?: string;
  /** ACTIVE, SUSPENDED or PENDING_CLOSURE, when AWS has the account. */
  status?: string;
  role?: string;
  tags: Record<string, string>;
  desired: boolean;
  observed: boolean;
  /** The last run of each pipeline on the account. */
  lastRuns: Partial<Record<PipelineName, EstateLastRun>>;
}

/** A region OU of the estate tree. */
export interface EstateRegion {
  name: string;
  id?: string;
  desired: boolean;
  observed: boolean;
  source?: 'config' | 'request';
  region?: string;
  owner?: string;
  requestedBy?: string;
  /** Why the region's request no longer fits the configuration; it is not minted. */
  problem?: string;
  lastRun?: EstateLastRun;
  accounts: EstateAccount[];
}

export interface EstateEnvironment {
  name: string;
  id?: string;
  regions: EstateRegion[];
}

export interface EstatePayer {
  name: string;
  accountId: string;
  /** Why the payer's organization could not be read, when it could not. */
  error?: string;
  platformOu: { name: string; id?: string };
  environments: EstateEnvironment[];
}

/** What `GET /estate` answers: every payer's tree, desired against observed. */
export interface Estate {
  observedAt: string;
  platformOu: string;
  payers: EstatePayer[];
}

/** What a drift finding concerns: one layer of what the pipelines manage. */
export type DriftLayer =
  /** A desired account that AWS does not have. */
  | 'account-missing'
  /** A managed account outside its region OU. */
  | 'ou-placement'
  /** A managed account whose managed tags differ. */
  | 'tags'
  /** An account in a managed region OU that no desired region has. */
  | 'stray-account'
  /** The provisioning role's trust policy, boundary, session length or policies. */
  | 'provisioning-role'
  /** A provisioner's plan-only mode found changes (such as Terraform's plan exiting 2). */
  | 'provisioner';

/** Every layer, in the order the pipelines manage them. */
export const DRIFT_LAYERS: DriftLayer[] = [
  'account-missing',
  'ou-placement',
  'tags',
  'stray-account',
  'provisioning-role',
  'provisioner',
];

/** fixed: a later check no longer found it; repaired: a run of the engine changed it back. */
export type FindingResolution = 'fixed' | 'repaired';

/** A difference between what is desired and what AWS has, as drift checks found it. */
export interface DriftFinding {
  id: string;
  /** The pipeline that manages the layer, and that repairs it. */
  pipeline: CheckedPipeline;
  layer: DriftLayer;
  payer: string;
  environment: string;
  /** The region OU name. */
  region: string;
  account?: string;
  accountId?: string;
  /** What differs, in a sentence. */
  summary: string;
  /** What is desired and what was found, where the check knows both. */
  diff?: { expected?: unknown; actual?: unknown };
  /** Whether the engine can put it right (a stray account, for one, it cannot). */
  repairable: boolean;
  firstSeenAt: string;
  lastSeenAt: string;
  resolvedAt?: string;
  resolution?: FindingResolution;
  /** The run that checked it last. */
  checkRunId: string;
  /** The last run started to repair it. */
  repairRunId?: string;
}

/** Which findings `listFindings` returns; every given criterion must match. */
export interface DriftFilter {
  region?: string;
  environment?: string;
  layer?: DriftLayer;
  /** Open (not resolved) or resolved findings; both when absent. */
  status?: 'open' | 'resolved';
}

/** The signals channel on which the backend tells the portal what changed. */
export const MINTING_SIGNAL_CHANNEL = 'account-minting';

/** A change the portal may want to show at once: a run that finished, findings that changed. */
export type MintingSignal =
  | { type: 'run'; runId: string; status: string; region: string }
  | { type: 'findings'; regions: string[] };
