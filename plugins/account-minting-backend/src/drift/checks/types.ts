import { JsonObject } from '@backstage/types';
import {
  CheckedPipeline,
  WHOLE_ESTATE,
} from '@regional-minting/plugin-account-minting-common';
import { MintingConfig } from '../../config/mintingConfig';
import { DesiredRegion } from '../../estate/desired';
import { BaseStepContext } from '../../engine/stepContext';
import { NewStep } from '../../runs/types';
import { stepKeys } from '../../pipelines/stepKeys';
import { FoundDrift } from '../FindingStore';
import { RunHistory } from './provisionedOutputs';

export type { CheckedPipeline };

/** What a drift check's step gets: its payer's desired regions, and where to record what it found. */
export interface CheckContext extends BaseStepContext {
  pipeline: CheckedPipeline;
  /** The desired regions that the step's payer serves. */
  regions: DesiredRegion[];
  /** The emails of accounts on their way out by region OU, which a decommission moves out: not strays. */
  retiring: Map<string, Set<string>>;
  /** What earlier runs did, such as the outputs of provisioning steps. */
  history: RunHistory;
  /** Records the check's findings; under a repair policy this starts the runs that put them right. */
  record(found: FoundDrift[]): Promise<void>;
}

export type CheckHandler = (ctx: CheckContext) => Promise<JsonObject>;

/** The steps of a drift check of a pipeline: one per payer, each reading its organization once. */
export function checkSteps(
  config: MintingConfig,
  pipeline: CheckedPipeline,
): NewStep[] {
  return config.payers.map(payer => ({
    key: stepKeys.check(payer.name),
    kind: `check-${pipeline}`,
    title: `Check ${pipeline} in ${payer.name}`,
    target: { payer: payer.name, regionOu: WHOLE_ESTATE },
    dependsOn: [],
  }));
}

/** The environment of a region OU found in AWS: the desired region's, else its environment OU's. */
export function environmentOf(
  regions: DesiredRegion[],
  regionOu: string,
  environmentOu: string,
): string {
  return regions.find(r => r.name === regionOu)?.environment ?? environmentOu;
}
