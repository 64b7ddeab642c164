import { StepRunner } from '../engine/StepRegistry';
import { BaseStepContext } from '../engine/stepContext';
import { DesiredRegion } from '../estate/desired';
import { StepContext, StepHandler } from './types';

/** What a region's steps read besides what every step gets. */
export interface RegionContextSources {
  /** The region as desired now; a run's steps read it each time, a dry run's are given it. */
  desiredRegion(regionOu: string): Promise<DesiredRegion>;
}

/**
 * A step of a region's run: the region as desired now. A region that no longer fits
 * the configuration fails its step, and no other.
 */
async function regionContext(
  base: BaseStepContext,
  sources: RegionContextSources,
): Promise<StepContext> {
  const desired = await sources.desiredRegion(base.step.target.regionOu);
  return {
    ...base,
    payer: base.config.payers.find(p => p.name === desired.payer)!,
    desired,
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
