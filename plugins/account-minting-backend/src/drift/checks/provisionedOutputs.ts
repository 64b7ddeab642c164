import { JsonObject } from '@backstage/types';
import { StepRecord, StepTarget } from '../../runs/types';

/** The reads of the runs' history that the provision check makes. */
export interface RunHistory {
  /** For each target and kind of step, the steps of the newest run that has one. */
  latestStepsOfKinds(
    kinds: string[],
  ): Promise<{ runId: string; region: string; target: StepTarget }[]>;
  getSteps(runId: string): Promise<StepRecord[]>;
}

/** The outputs of an account's provisioning steps, by step key. */
export type ProvisionedOutputs = (
  regionOu: string,
  account: string,
) => Promise<Record<string, JsonObject | undefined>>;

/** The newest run that provisioned each account, by region OU and account name. */
async function newestRuns(history: RunHistory): Promise<Map<string, string>> {
  const steps = await history.latestStepsOfKinds(['provision-account']);
  return new Map(
    steps
      .filter(step => step.target.account)
      .map(step => [
        JSON.stringify([step.region, step.target.account]),
        step.runId,
      ]),
  );
}

/**
 * The outputs of each account's provisioning steps as the newest apply run that
 * provisioned the account left them: those of its steps that succeeded, which is every
 * step once that run succeeded. They are what the account's next apply gives each
 * step as its earlier steps' outputs, so a plan given them sees what an apply would.
 * Read when first asked for: the newest runs in one read, each run's steps once.
 */
export function provisionedOutputs(history: RunHistory): ProvisionedOutputs {
  let runs: Promise<Map<string, string>> | undefined;
  const stepsOf = new Map<string, Promise<StepRecord[]>>();
  return async (regionOu, account) => {
    runs ??= newestRuns(history);
    const runId = (await runs).get(JSON.stringify([regionOu, account]));
    if (!runId) return {};
    if (!stepsOf.has(runId)) stepsOf.set(runId, history.getSteps(runId));
    const steps = await stepsOf.get(runId)!;
    return Object.fromEntries(
      steps
        .filter(
          s =>
            s.kind === 'provision-account' &&
            s.target.account === account &&
            s.status === 'succeeded',
        )
        .map(s => [s.key, s.outputs]),
    );
  };
}
