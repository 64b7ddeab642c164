import { Plan } from '@regional-minting/plugin-account-minting-common';
import { dryRun, EngineMeans } from '../engine/dryRun';
import { isChange } from '../engine/reconcile';
import { StepRegistry } from '../engine/StepRegistry';
import { DesiredRegion } from '../estate/desired';
import { NewStep, PipelineName } from '../runs/types';
import {
  DecommissionRegionSources,
  pipelineSteps,
  registerPipelineSteps,
} from '.';

/**
 * A dry run of a pipeline for a region, requested or not: the run's own steps, each
 * observing and planning as it would in the run, and stopping there. Steps that need
 * what earlier steps create are shown pending.
 */
export async function planRun(options: {
  means: EngineMeans;
  pipeline: PipelineName;
  desired: DesiredRegion;
  account?: string;
  requestedBy: string;
}): Promise<Plan> {
  const { means, pipeline, desired, account } = options;
  return planSteps({
    ...options,
    steps: pipelineSteps(means.config, pipeline, desired, account),
  });
}

/**
 * A dry run of given steps of a region's run: a decommission's, whose steps read the
 * region with the accounts it retires and the close quota's records.
 */
export async function planSteps(options: {
  means: EngineMeans;
  pipeline: PipelineName;
  desired: DesiredRegion;
  account?: string;
  requestedBy: string;
  steps: NewStep[];
  decommission?: DecommissionRegionSources;
}): Promise<Plan> {
  const { means, pipeline, desired, account, steps } = options;
  const registry = new StepRegistry();
  registerPipelineSteps(registry, {
    desiredRegion: async () => desired,
    decommission: options.decommission,
  });
  const planned = await dryRun({
    run: {
      pipeline,
      region: desired.name,
      account,
      requestedBy: options.requestedBy,
    },
    steps,
    registry,
    means,
  });
  const actions = planned.flatMap(step => step.actions);
  return {
    region: desired.name,
    payer: desired.payer,
    actions,
    changes: actions.filter(isChange).length,
    steps: planned.map(step => ({
      key: step.key,
      title: step.title,
      actions: step.actions,
    })),
  };
}
