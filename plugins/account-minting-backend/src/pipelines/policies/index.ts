import { MintingConfig } from '../../config/mintingConfig';
import { DesiredRegion } from '../../estate/desired';
import { NewStep } from '../../runs/types';
import { stepKeys } from '../stepKeys';
import { StepHandler } from '../types';
import { mintPolicies } from './policiesStep';

export { payerPolicies, managedPolicyTag } from './desiredPolicies';
export { observePolicies } from './observePolicies';
export { planPolicies, unmanagedNamesakes } from './planPolicies';
export type { ScpAction, PolicyPlanAction } from './planPolicies';

export const policyHandlers: Record<string, StepHandler> = {
  'mint-policies': mintPolicies,
};

/**
 * The policies step of a mint run, once its region OU exists: none when no SCP is
 * declared, so that an estate without them makes no call for them.
 */
export function policySteps(
  config: MintingConfig,
  desired: DesiredRegion,
): NewStep[] {
  if (config.policies.length === 0) return [];
  return [
    {
      key: stepKeys.policies(),
      kind: 'mint-policies',
      title: 'Service control policies',
      target: { payer: desired.payer, regionOu: desired.name },
      dependsOn: [stepKeys.regionOu()],
    },
  ];
}
