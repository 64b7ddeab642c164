import { StepRunner, StepRegistry } from '../../engine/StepRegistry';
import { BaseStepContext } from '../../engine/stepContext';
import { DesiredState } from '../../regions/DesiredState';
import { RunRecord } from '../../runs/types';
import { FoundDrift } from '../FindingStore';
import { RunHistory } from './provisionedOutputs';
import { checkBootstrap } from './bootstrapCheck';
import { checkMint } from './mintCheck';
import { checkProvision } from './provisionCheck';
import { CheckContext, CheckedPipeline, CheckHandler } from './types';

export { checkSteps } from './types';
export type { CheckContext, CheckHandler, CheckedPipeline } from './types';

/** The handler of each drift check's steps, by step kind. */
const checkHandlers: Record<string, CheckHandler> = {
  'check-mint': checkMint,
  'check-bootstrap': checkBootstrap,
  'check-provision': checkProvision,
};

/** What drift checks' steps read besides what every step gets, and where they record what they found. */
export interface CheckContextSources {
  desiredState: Pick<DesiredState, 'list' | 'retiringEmails'>;
  runs: RunHistory;
  /** Records what a check's step found, and acts on it by the environments' policies. */
  record(
    run: RunRecord,
    payer: string,
    pipeline: CheckedPipeline,
    found: FoundDrift[],
  ): Promise<void>;
}

/** A drift check's step: every desired region of its payer. */
async function checkContext(
  base: BaseStepContext,
  sources: CheckContextSources,
): Promise<CheckContext> {
  const pipeline = base.run.pipeline as CheckedPipeline;
  // A region that no longer fits the configuration is shown, not checked or repaired.
  const regions = (await sources.desiredState.list())
    .filter(entry => !entry.problem)
    .map(entry => entry.desired)
    .filter(region => region.payer === base.payer.name);
  return {
    ...base,
    pipeline,
    regions,
    retiring: await sources.desiredState.retiringEmails(),
    history: sources.runs,
    record: found => sources.record(base.run, base.payer.name, pipeline, found),
  };
}

/** Registers the steps of drift checks, each given its payer's desired regions. */
export function registerDriftChecks(
  registry: StepRegistry,
  sources: CheckContextSources,
): void {
  const runners: Record<string, StepRunner> = Object.fromEntries(
    Object.entries(checkHandlers).map(([kind, handler]) => [
      kind,
      async (base: BaseStepContext) =>
        handler(await checkContext(base, sources)),
    ]),
  );
  registry.register(runners);
}
