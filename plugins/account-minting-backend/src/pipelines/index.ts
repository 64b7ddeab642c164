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
import {
  DecommissionSources,
  decommissionHandlers,
  decommissionSteps,
} from './decommission';

/** What a decommission's steps read: the region with the accounts it retires, and its records. */
export interface DecommissionRegionSources extends DecommissionSources {
  /** The region with every account it was accepted with, retired ones too. */
  retiringRegion(regionOu: string): Promise<DesiredRegion>;
}

/**
 * Registers the steps of every pipeline, each given its region and its earlier steps'
 * outputs; a decommission's steps given the region with the accounts it retires.
 */
export function registerPipelineSteps(
  registry: StepRegistry,
  sources: RegionContextSources & { decommission?: DecommissionRegionSources },
): void {
  registry.register(
    regionStepRunners(
      { ...mintHandlers, ...bootstrapHandlers, ...provisionHandlers },
      sources,
    ),
  );
  const { decommission } = sources;
  if (decommission)
    registry.register(
      regionStepRunners(decommissionHandlers(decommission), {
        desiredRegion: decommission.retiringRegion,
      }),
    );
}

/**
 * The steps of a decommission run. Retiring some accounts of a region that stays
 * first provisions the accounts it keeps and runs its join steps again without the
 * retired ones, so that the regional cluster stops using them before they go.
 */
export function decommissionRunSteps(
  config: MintingConfig,
  options: {
    /** The region with every account the run may act on. */
    retiring: DesiredRegion;
    /** Some accounts; the whole region when absent. */
    accounts?: string[];
    /** The region as it stays, for some accounts. */
    remaining?: DesiredRegion;
  },
): NewStep[] {
  const { accounts, remaining } = options;
  const rejoin =
    accounts &&
    remaining &&
    config.bootstrap &&
    config.regionSteps.length > 0 &&
    remaining.accounts.length > 0
      ? pipelineSteps(config, 'provision', remaining)
      : [];
  return [
    ...rejoin,
    ...decommissionSteps(config, options.retiring, {
      accounts,
      after: rejoin.map(s => s.key),
    }),
  ];
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
      // A decommission's steps depend on what it retires: decommissionRunSteps.
      throw new Error(`pipeline ${pipeline} has no steps of its own here`);
  }
}
