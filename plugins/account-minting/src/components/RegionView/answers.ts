import {
  ChangeResponse,
  isChangeResponse,
  PlanResponse,
  RegionRequestResponse,
  RunRecord,
} from '@regional-minting/plugin-account-minting-common';

/** The routes of a region's life answer a dry run with a plan, else what they started. */
type RegionAnswer =
  | PlanResponse
  | RunRecord
  | RegionRequestResponse
  | ChangeResponse;

/** The plan of a dry run's answer. */
export function planOf(answer: RegionAnswer): PlanResponse {
  if ('plan' in answer) return answer;
  throw new Error('The backend answered the dry run without a plan');
}

/** What an action started: its run (adopting answers the region with it), or the change waiting for approval. */
export function startedOf(answer: RegionAnswer): RunRecord | ChangeResponse {
  if (isChangeResponse(answer)) return answer;
  if ('plan' in answer) {
    throw new Error('The backend answered with a plan where it should start');
  }
  return 'run' in answer ? answer.run : answer;
}
