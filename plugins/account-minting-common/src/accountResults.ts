import {
  EstateLastRun,
  PipelineName,
  StepRecord,
  StepStatus,
} from './api/types';

/** The pipeline whose result each kind of account step records. */
export const ACCOUNT_STEP_PIPELINES: Record<string, PipelineName> = {
  'mint-account': 'mint',
  'bootstrap-account': 'bootstrap',
  'provision-account': 'provision',
};

// A pipeline with several steps on one account (provisioning) shows its most telling one.
const STATUS_WEIGHT: StepStatus[] = [
  'failed',
  'running',
  'pending',
  'blocked',
  'cancelled',
  'succeeded',
];

/** Folds the steps one run made on an account for one pipeline into one result. */
export function accountPipelineResult(
  runId: string,
  steps: Pick<StepRecord, 'status' | 'startedAt' | 'finishedAt'>[],
): EstateLastRun {
  const status = STATUS_WEIGHT.find(s =>
    steps.some(step => step.status === s),
  )!;
  const started = steps.map(s => s.startedAt).filter(Boolean) as string[];
  const finished = steps.map(s => s.finishedAt);
  return {
    runId,
    status,
    startedAt: started.sort()[0],
    finishedAt: finished.every(Boolean)
      ? (finished as string[]).sort()[finished.length - 1]
      : undefined,
  };
}
