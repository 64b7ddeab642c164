import { JsonObject } from '@backstage/types';
import { StepRunner } from '../engine/StepRegistry';
import { BaseStepContext } from '../engine/stepContext';
import { DesiredState } from '../regions/DesiredState';
import { RunRepository } from '../runs/RunRepository';
import { StepContext, StepHandler } from './types';

/** What a region's steps read besides what every step gets. */
export interface RegionContextSources {
  desiredState: Pick<DesiredState, 'getActionable'>;
  runs: Pick<RunRepository, 'getSteps'>;
}

/**
 * A step of a region's run: the region as desired now, and its dependencies' outputs.
 * A region that no longer fits the configuration fails its step, and no other.
 */
async function regionContext(
  base: BaseStepContext,
  sources: RegionContextSources,
): Promise<StepContext> {
  const { step } = base;
  const { desired } = await sources.desiredState.getActionable(
    step.target.regionOu,
  );
  const steps = await sources.runs.getSteps(step.runId);
  const dependencyOutputs: Record<string, JsonObject | undefined> = {};
  steps
    .filter(s => step.dependsOn.includes(s.key))
    .forEach(s => (dependencyOutputs[s.key] = s.outputs));
  return {
    ...base,
    payer: base.config.payers.find(p => p.name === desired.payer)!,
    desired,
    dependencyOutputs,
  };
}

/** The runners of a region's steps: each handler, given its region context. */
export function regionStepRunners(
  handlers: Record<string, StepHandler>,
  sources: RegionContextSources,
): Record<string, StepRunner> {
  return Object.fromEntries(
    Object.entries(handlers).map(([kind, handler]) => [
      kind,
      async (base: BaseStepContext) =>
        handler(await regionContext(base, sources)),
    ]),
  );
}
