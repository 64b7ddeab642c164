import { DesiredRegion } from '../estate/desired';
import { NewStep, PipelineName } from '../runs/types';
import { bootstrapHandlers, bootstrapSteps } from './bootstrap';
import { mintHandlers, mintSteps } from './mint';
import { StepHandler } from './types';

/** The pipelines a run can execute, by name. */
export const PIPELINES: PipelineName[] = ['mint', 'bootstrap'];

/** Every kind of step, with the handler that runs it. */
export const stepHandlers: Record<string, StepHandler> = {
  ...mintHandlers,
  ...bootstrapHandlers,
};

/** The steps of a run of a pipeline, for a region or one of its accounts. */
export function pipelineSteps(
  pipeline: PipelineName,
  desired: DesiredRegion,
  account?: string,
): NewStep[] {
  return pipeline === 'mint'
    ? mintSteps(desired, account)
    : bootstrapSteps(desired, account);
}
