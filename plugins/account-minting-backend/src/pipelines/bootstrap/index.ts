import { stepKeys } from '../stepKeys';
import { DesiredRegion } from '../../estate/desired';
import { NewStep } from '../../runs/types';
import { StepHandler } from '../types';
import { bootstrapAccount } from './bootstrapStep';

export const bootstrapHandlers: Record<string, StepHandler> = {
  'bootstrap-account': bootstrapAccount,
};

/** The steps of a bootstrap run: every account of the region at once (or just one of them). */
export function bootstrapSteps(
  desired: DesiredRegion,
  account?: string,
): NewStep[] {
  return desired.accounts
    .filter(a => !account || a.name === account)
    .map(a => ({
      key: stepKeys.bootstrap(a.name),
      kind: 'bootstrap-account',
      title: `Bootstrap ${a.name}`,
      target: { payer: desired.payer, regionOu: desired.name, account: a.name },
      dependsOn: [],
    }));
}
