import { JsonObject } from '@backstage/types';
import { BaseStepContext } from '../engine/stepContext';
import { DesiredRegion } from '../estate/desired';

/** What the step of a region's run gets: the region, and what the steps before it found. */
export interface StepContext extends BaseStepContext {
  desired: DesiredRegion;
}

/** Runs one kind of step; what it returns becomes the step's outputs. */
export type StepHandler = (ctx: StepContext) => Promise<JsonObject>;
