import { MintingConfig } from '../config/mintingConfig';
import { DesiredRegion } from '../estate/desired';
import { NewStep, PipelineName } from '../runs/types';
import { bootstrapHandlers, bootstrapSteps } from './bootstrap';
import { mintHandlers, mintSteps } from './mint';
import {
  provisionHandlers,
  provisionSteps,
  regionJoinSteps,
} from './provision';
import { StepRegistry } from '../engine/StepRegistry';
import { stepKeys } from './stepKeys';
import { RegionContextSources, regionStepRunners } from './regionContext';

/** Registers the steps of every pipeline, each given its region and its earlier steps' outputs. */
export function registerPipelineSteps(
  registry: StepRegistry,
  sources: RegionContextSources,
): void {
  registry.register(
    regionStepRunners(
      { ...mintHandlers, ...bootstrapHandlers, ...provisionHandlers },
      sources,
    ),
  );
}

/** The last step of each account in `steps`, for what must wait for all of them. */
function lastStepOfEachAccount(steps: NewStep[]): string[] {
  const last = new Map<string, string>();
  steps
    .filter(s => s.target.account)
    .forEach(s => last.set(s.target.account!, s.key));
  return [...last.values()];
}

/**
 * The steps of a run. A region run is the design's graph: the region OU, then every
 * account in parallel through mint, bootstrap and provisioning, then the region's
 * join steps once every account is done. Nothing waits for what it does not need.
 */
export function pipelineSteps(
  config: MintingConfig,
  pipeline: PipelineName,
  desired: DesiredRegion,
  account?: string,
): NewStep[] {
  switch (pipeline) {
    case 'mint':
      return mintSteps(config, desired, account);
    case 'bootstrap':
      return bootstrapSteps(desired, account);
    case 'provision': {
      const steps = provisionSteps(config, desired, { account });
      return account
        ? steps
        : [
            ...steps,
            ...regionJoinSteps(config, desired, lastStepOfEachAccount(steps)),
          ];
    }
    case 'region': {
      const minted = mintSteps(config, desired, account);
      // Without a provisioning role configured, a region is minted only.
      const bootstrapped = config.bootstrap
        ? bootstrapSteps(desired, account).map(s => ({
            ...s,
            dependsOn: [stepKeys.account(s.target.account!)],
          }))
        : [];
      const provisioned = config.bootstrap
        ? provisionSteps(config, desired, {
            account,
            after: name => [stepKeys.bootstrap(name)],
          })
        : [];
      const accountSteps = [...minted, ...bootstrapped, ...provisioned];
      return account
        ? accountSteps
        : [
            ...accountSteps,
            ...regionJoinSteps(
              config,
              desired,
              lastStepOfEachAccount(accountSteps),
            ),
          ];
    }
    default:
      throw new Error(`unknown pipeline ${pipeline}`);
  }
}
