import { RunStatus, StepRecord, StepStatus } from './types';

/** What settling a run needs to know of each of its steps, in creation order. */
export type SettlingStep = Pick<
  StepRecord,
  'id' | 'key' | 'title' | 'status' | 'dependsOn' | 'error'
>;

const WILL_NOT_SUCCEED: StepStatus[] = ['failed', 'cancelled', 'blocked'];

/**
 * The pending steps that can no longer run because a step they depend on,
 * directly or through other steps, failed or was cancelled.
 */
export function findStepsToBlock(steps: SettlingStep[]): SettlingStep[] {
  const doomedKeys = new Set(
    steps
      .filter(step => WILL_NOT_SUCCEED.includes(step.status))
      .map(step => step.key),
  );
  const blocked: SettlingStep[] = [];
  let pending = steps.filter(step => step.status === 'pending');
  // Blocking one step can doom the steps after it: repeat until nothing changes.
  for (;;) {
    const newlyBlocked = pending.filter(step =>
      step.dependsOn.some(key => doomedKeys.has(key)),
    );
    if (newlyBlocked.length === 0) {
      return blocked;
    }
    newlyBlocked.forEach(step => doomedKeys.add(step.key));
    blocked.push(...newlyBlocked);
    pending = pending.filter(step => !newlyBlocked.includes(step));
  }
}

/** Whether a worker has something left to do in the run. */
export function hasUnfinishedSteps(statuses: StepStatus[]): boolean {
  return statuses.some(status => status === 'pending' || status === 'running');
}

/**
 * The outcome of a run none of whose steps is left to run. A cancelled run stays
 * cancelled; otherwise it succeeded only if every step did.
 */
export function finalRunOutcome(
  runStatus: RunStatus,
  steps: SettlingStep[],
): { status: RunStatus; error?: string } {
  if (runStatus === 'cancelled') {
    return { status: 'cancelled' };
  }
  const failed =
    steps.find(step => step.status === 'failed') ??
    steps.find(step => step.status !== 'succeeded');
  if (!failed) {
    return { status: 'succeeded' };
  }
  return {
    status: 'failed',
    error: `${failed.title}: ${failed.error ?? `step ${failed.status}`}`,
  };
}
