import {
  ACCOUNT_STEP_PIPELINES,
  accountPipelineResult,
  Estate,
  EstateAccount,
  EstateLastRun,
  EstatePayer,
  EstateRegion,
  PipelineName,
  RunWithSteps,
} from '@regional-minting/plugin-account-minting-common';

/** An account with where it sits in the estate. */
export interface LocatedAccount {
  payer: EstatePayer;
  environment: string;
  region: EstateRegion;
  account: EstateAccount;
  /** OU names from the root down to the region OU. */
  ouPath: string[];
}

export function findAccount(
  estate: Estate,
  name: string,
): LocatedAccount | undefined {
  for (const payer of estate.payers) {
    for (const environment of payer.environments) {
      for (const region of environment.regions) {
        const account = region.accounts.find(a => a.name === name);
        if (account) {
          return {
            payer,
            environment: environment.name,
            region,
            account,
            ouPath: ['Root', estate.platformOu, environment.name, region.name],
          };
        }
      }
    }
  }
  return undefined;
}

/** One run's result for one pipeline on one account. */
export interface AccountRunResult extends EstateLastRun {
  /** The pipeline the run executed: the pipeline itself, or the whole region. */
  runPipeline: PipelineName;
}

/** Each pipeline's results on an account, newest run first, from runs with their steps. */
export function resultsByPipeline(
  runs: RunWithSteps[],
  account: string,
): Record<string, AccountRunResult[]> {
  const results: Record<string, AccountRunResult[]> = {
    mint: [],
    bootstrap: [],
    provision: [],
  };
  for (const run of runs) {
    for (const pipeline of Object.keys(results)) {
      const steps = run.steps.filter(
        s =>
          s.target.account === account &&
          ACCOUNT_STEP_PIPELINES[s.kind] === pipeline,
      );
      if (steps.length > 0) {
        results[pipeline].push({
          ...accountPipelineResult(run.id, steps),
          runPipeline: run.pipeline,
        });
      }
    }
  }
  return results;
}
