import {
  FINISHED_RUN_STATUSES,
  isOneOf,
} from '@regional-minting/plugin-account-minting-common';
import { MAX_RUN_PAGE, RunRepository } from '../runs/RunRepository';
import { RunRecord } from '../runs/types';

/**
 * Whether a run that succeeded found its region ready already: the region's newest apply
 * run created before it that finished succeeded too. Then the run changed nothing a
 * requester waits for (such as a repair or a run again of a green region); after a failed
 * run, or for a new region, the region has just gone green.
 */
export async function wasRegionReady(
  runs: Pick<RunRepository, 'listRuns'>,
  run: RunRecord,
): Promise<boolean> {
  // Newest first: the runs after this one in the page were created before it.
  const { items } = await runs.listRuns({
    region: run.region,
    limit: MAX_RUN_PAGE,
  });
  const at = items.findIndex(r => r.id === run.id);
  // A run older than the newest page: what came before it is not known, nor needed.
  if (at < 0) return false;
  const earlier = items.slice(at + 1);
  const previous = earlier.find(
    r => r.mode === 'apply' && isOneOf(FINISHED_RUN_STATUSES, r.status),
  );
  return previous?.status === 'succeeded';
}
