import { DesiredRegion } from '../../estate/desired';
import { NewStep } from '../../runs/types';
import { StepHandler } from '../types';
import { stepKeys } from '../stepKeys';
import { mintAccount } from './accountStep';
import { mintRegionOu } from './regionOuStep';

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
