import { JsonObject } from '@backstage/types';
import { components } from './openapi.generated';

// The JSON of the account-minting backend's REST API, as clients receive it, with
// timestamps as ISO 8601 strings: the requests and responses are the types generated
// from the spec (src/schema/openapi.yaml of the backend), so they cannot drift from it.
type Schemas = components['schemas'];

/**
 * The design's three pipelines, in the order an account goes through them. Each
 * manages layers of its own, and has a drift check of them.
 */
export const CHECKED_PIPELINES = ['mint', 'bootstrap', 'provision'] as const;

/** A pipeline with a drift check. */
export type CheckedPipeline = (typeof CHECKED_PIPELINES)[number];

/** The pipelines `POST /runs` starts: the design's three, and the whole region (the three in order). */
export const STARTABLE_PIPELINES = [...CHECKED_PIPELINES, 'region'] as const;

/** Every pipeline a run can execute: also decommission, started through its own route or a scale down. */
export const PIPELINES = [...STARTABLE_PIPELINES, 'decommission'] as const;

export type PipelineName = (typeof PIPELINES)[number];

/** A region's stage of life: decommissioning and decommissioned regions are out of the desired state. */
export type RegionStatus = NonNullable<RegionSummary['status']>;

/** AWS's rolling close quota of the payer organization, in a plan that closes accounts. */
export type CloseQuota = Schemas['CloseQuota'];

/** What `POST /regions/{name}/decommission` takes. */
export type DecommissionBody = Schemas['DecommissionBody'];

/** What `PATCH /regions/{name}` takes. */
export type ScaleBody = Schemas['ScaleBody'];

/** What `POST /regions/{name}/adopt` takes. */
export type AdoptBody = Schemas['AdoptBody'];

/** The statuses of a run that is not finished. */
export const ACTIVE_RUN_STATUSES = ['queued', 'running'] as const;

/** The statuses of a finished run: it changes no more, unless retried. */
export const FINISHED_RUN_STATUSES = [
  'succeeded',
  'failed',
  'cancelled',
] as const;

/** The statuses of a finished run that a retry starts again. */
export const RETRYABLE_RUN_STATUSES = ['failed', 'cancelled'] as const;

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
export type StepStatus = Schemas['StepStatus'];

/** What the run `region` of an estate-wide run (a drift check) holds. */
export const WHOLE_ESTATE = '*';

/**
 * apply: makes AWS match the desired state; check: a drift check, which observes
 * and plans, records the differences as findings and changes nothing.
 */
export type RunMode = RunRecord['mode'];

/** A run: one execution of a pipeline for a region, or for one account of it. */
export type RunRecord = Schemas['RunRecord'];

/** What a step acts on. */
export type StepTarget = Schemas['StepTarget'];

export type StepRecord = Omit<
  Schemas['StepRecord'],
  'plan' | 'state' | 'outputs'
> & {
  // The spec's JsonObject, whose values are JSON.
  plan?: JsonObject;
  state?: JsonObject;
  outputs?: JsonObject;
};

/** What `GET /runs/{id}` answers: the run and its steps in creation order. */
export type RunWithSteps = Omit<Schemas['RunWithSteps'], 'steps'> & {
  steps: StepRecord[];
};

export type LogLevel = LogLine['level'];

/** A line of a run's log; its id orders the lines and pages on from the last one seen. */
export type LogLine = Schemas['LogLine'];

/** One thing a plan would do, with why. */
export type PlanAction = Schemas['PlanAction'];

export type Plan = Schemas['Plan'];

/** A payer organization's accounts against its account quota, in a plan that creates accounts. */
export type AccountQuota = Schemas['AccountQuota'];

/** What a dry run answers: the plan of a region, named by its region OU. */
export type PlanResponse = Schemas['PlanResponse'];

/** An account a region should have. */
export type DesiredAccount = Schemas['DesiredAccount'];

/** A region the estate should have: its OU path in its payer, and its accounts. */
export type DesiredRegion = Omit<
  RegionSummary,
  'source' | 'requestedBy' | 'requestedAt' | 'problem' | 'lastRun'
>;

/** A region of the desired estate, with where it comes from and its latest run. */
export type RegionSummary = Schemas['RegionSummary'];

/** What `POST /regions` answers: the region requested and the run minting it. */
export type RegionRequestResponse = Schemas['RegionRequestResponse'];

/** A change waiting for approval in an environment that needs it, with its plan and decisions. */
export type ChangeRequest = Schemas['ChangeRequest'];
export type ChangeStatus = Schemas['ChangeStatus'];
export type ChangeKind = Schemas['ChangeKind'];
export type ChangeDecision = Schemas['ChangeDecision'];
/** What a route that starts work answers when the work waits for approval. */
export type ChangeResponse = Schemas['ChangeResponse'];

/** The statuses of change requests, waiting ones first. */
export const CHANGE_STATUSES: readonly ChangeStatus[] = [
  'pending',
  'approved',
  'rejected',
  'expired',
  'started',
];

/** Whether a route's answer is a change waiting for approval rather than the work itself. */
export function isChangeResponse(answer: object): answer is ChangeResponse {
  return 'change' in answer;
}

/** A pipeline to run for a region, or for one account of it. */
export type RunRequest = Omit<Schemas['RunRequestBody'], 'dryRun'>;

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
export type EstateLastRun = Schemas['EstateLastRun'];

/** An account of the estate tree: desired, observed in AWS, or both. */
export type EstateAccount = Schemas['EstateAccount'];

/** A region OU of the estate tree. */
export type EstateRegion = Schemas['EstateRegion'];

export type EstateEnvironment = Schemas['EstateEnvironment'];

export type EstatePayer = Schemas['EstatePayer'];

/** What `GET /estate` answers: every payer's tree, desired against observed. */
export type Estate = Schemas['Estate'];

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
  | 'provisioner'
  /** A declared service control policy: its content, or the OUs it is attached to. */
  | 'policy';

/** Every layer, in the order the pipelines manage them. */
export const DRIFT_LAYERS: DriftLayer[] = [
  'account-missing',
  'ou-placement',
  'tags',
  'stray-account',
  'provisioning-role',
  'provisioner',
  'policy',
];

/** fixed: a later check no longer found it; repaired: a run of the engine changed it back. */
export type FindingResolution = NonNullable<DriftFinding['resolution']>;

/** A difference between what is desired and what AWS has, as drift checks found it. */
export type DriftFinding = Schemas['DriftFinding'];

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
  | { type: 'change'; changeId: string; status: ChangeStatus; region: string }
  | { type: 'findings'; regions: string[] };
