import {
  ACCOUNT_STEP_PIPELINES,
  accountPipelineResult,
  EstateLastRun,
  PipelineName,
} from '@regional-minting/plugin-account-minting-common';
import { StepResult } from '../runs/rows';
import { RunRepository } from '../runs/RunRepository';

/** The last result of each region and of each pipeline on each account. */
export interface LastResults {
  region(name: string): EstateLastRun | undefined;
  account(
    region: string,
    account: string,
  ): Partial<Record<PipelineName, EstateLastRun>>;
}

/** Reads every region's newest run and every account's newest result per pipeline in two queries. */
export async function readLastResults(
  repository: Pick<RunRepository, 'latestRunPerRegion' | 'latestStepsOfKinds'>,
): Promise<LastResults> {
  const [runs, steps] = await Promise.all([
    repository.latestRunPerRegion(),
    repository.latestStepsOfKinds(Object.keys(ACCOUNT_STEP_PIPELINES)),
  ]);
  // The store returns only the newest run's steps of each account and kind.
  const newest = new Map<string, { runId: string; steps: StepResult[] }>();
  for (const step of steps) {
    if (!step.target.account) continue;
    const key = JSON.stringify([
      step.region,
      step.target.account,
      ACCOUNT_STEP_PIPELINES[step.kind],
    ]);
    const seen = newest.get(key);
    if (seen) seen.steps.push(step);
    else newest.set(key, { runId: step.runId, steps: [step] });
  }
  return {
    region(name) {
      const run = runs.get(name);
      return (
        run && {
          runId: run.id,
          status: run.status,
          startedAt: run.startedAt,
          finishedAt: run.finishedAt,
        }
      );
    },
    account(region, account) {
      const results: Partial<Record<PipelineName, EstateLastRun>> = {};
      for (const pipeline of new Set(Object.values(ACCOUNT_STEP_PIPELINES))) {
        const seen = newest.get(JSON.stringify([region, account, pipeline]));
        if (seen)
          results[pipeline] = accountPipelineResult(seen.runId, seen.steps);
      }
      return results;
    },
  };
}
