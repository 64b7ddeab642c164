import { managedTagKeys, DesiredRegion } from '../../estate/desired';
import { observeRegion } from '../../estate/observe';
import { Plan, planRegion } from '../../estate/plan';
import { openPayerSession } from '../../aws/OrganizationSession';
import { NewStep } from '../../runs/types';
import { StepHandler } from '../types';
import { stepKeys } from '../stepKeys';
import { mintAccount } from './accountStep';
import { mintRegionOu } from './regionOuStep';
import { MintingConfig } from '../../config/mintingConfig';
import { AwsClients } from '../../aws/AwsClients';
import { PayerGates } from '../../aws/OrganizationSession';
import { EngineTiming } from '../../engine/stepContext';

export const mintHandlers: Record<string, StepHandler> = {
  'mint-region-ou': mintRegionOu,
  'mint-account': mintAccount,
};

/** The steps of a mint run: the region OU, then its accounts in parallel (or just one of them). */
export function mintSteps(desired: DesiredRegion, account?: string): NewStep[] {
  const target = { payer: desired.payer, regionOu: desired.name };
  return [
    {
      key: stepKeys.regionOu(),
      kind: 'mint-region-ou',
      title: `Region OU ${desired.name}`,
      target,
      dependsOn: [],
    },
    ...desired.accounts
      .filter(a => !account || a.name === account)
      .map(a => ({
        key: stepKeys.account(a.name),
        kind: 'mint-account',
        title: `Account ${a.name}`,
        target: { ...target, account: a.name },
        dependsOn: [stepKeys.regionOu()],
      })),
  ];
}

/** A dry run: what minting the region would do, read from AWS and changing nothing. */
export async function planMint(options: {
  config: MintingConfig;
  clients: AwsClients;
  gates: PayerGates;
  timing: EngineTiming;
  desired: DesiredRegion;
}): Promise<Plan> {
  const payer = options.config.payers.find(
    p => p.name === options.desired.payer,
  )!;
  const session = await openPayerSession({
    clients: options.clients,
    gates: options.gates,
    payer,
    sessionName: `plan-${options.desired.name}`,
    backoff: options.timing.backoff,
  });
  const observed = await observeRegion(session, options.desired);
  return planRegion(options.desired, observed, managedTagKeys(options.config));
}
