import { JsonObject } from '@backstage/types';

/** The pipelines a run can execute. Bootstrap and provision join mint later. */
export type PipelineName = 'mint';

export type RunStatus =
  | 'queued'
  | 'running'
  | 'succeeded'
  | 'failed'
  | 'cancelled';

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

/** A run: one execution of a pipeline for a region, or for one account of it. */
export interface RunRecord {
  id: string;
  pipeline: PipelineName;
  /** The region OU name, such as dev-kirk-us-east-2. */
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

/** A step to create with its run. */
export interface NewStep {
  /** Unique within the run, such as `ou` or `account:dev-kirk-us-east-2-rc`. */
  key: string;
  /** What the executor does for it, such as `mint-ou` or `mint-account`. */
  kind: string;
  title: string;
  target: StepTarget;
  /** Keys of the steps that must succeed first. */
  dependsOn: string[];
}

export interface StepRecord extends NewStep {
  id: string;
  runId: string;
  status: StepStatus;
  attempts: number;
  /** A pending step is not claimed before this time (backoff after a transient error). */
  notBefore?: string;
  leaseOwner?: string;
  leaseExpiresAt?: string;
  startedAt?: string;
  finishedAt?: string;
  /** The plan the step computed: data, for the UI and for dry runs. */
  plan?: JsonObject;
  /** What the step has done so far that a resumed attempt must know, such as a recorded CreateAccount intent. */
  state?: JsonObject;
  outputs?: JsonObject;
  error?: string;
}

export interface StepLogLine {
  stepId: string;
  time: string;
  level: 'debug' | 'info' | 'warn' | 'error';
  message: string;
}
