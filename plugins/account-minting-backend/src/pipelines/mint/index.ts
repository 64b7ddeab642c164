import { MintingConfig } from '../../config/mintingConfig';
import { DesiredRegion } from '../../estate/desired';
import { NewStep } from '../../runs/types';
import { StepHandler } from '../types';
import { stepKeys } from '../stepKeys';
import { mintAccount } from './accountStep';
import { mintRegionOu } from './regionOuStep';
import { policyHandlers, policySteps } from '../policies';

export const mintHandlers: Record<string, StepHandler> = {
  'mint-region-ou': mintRegionOu,
  'mint-account': mintAccount,
  ...policyHandlers,
};

/**
 * The steps of a mint run: the region OU, then the declared SCPs on its OUs, then its
 * accounts in parallel (or just one of them): an account is made where its guardrails are.
 */
export function mintSteps(
  config: MintingConfig,
  desired: DesiredRegion,
  account?: string,
): NewStep[] {
  const target = { payer: desired.payer, regionOu: desired.name };
  const policies = policySteps(config, desired);
  return [
    {
      key: stepKeys.regionOu(),
      kind: 'mint-region-ou',
      title: `Region OU ${desired.name}`,
      target,
      dependsOn: [],
    },
    ...policies,
    ...desired.accounts
      .filter(a => !account || a.name === account)
      .map(a => ({
        key: stepKeys.account(a.name),
        kind: 'mint-account',
        title: `Account ${a.name}`,
        target: { ...target, account: a.name },
        dependsOn: [stepKeys.regionOu(), ...policies.map(s => s.key)],
      })),
  ];
}
