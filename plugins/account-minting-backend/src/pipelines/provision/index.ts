import { MintingConfig } from '../../config/mintingConfig';
import { DesiredRegion } from '../../estate/desired';
import { NewStep } from '../../runs/types';
import { StepHandler } from '../types';
import { stepKeys } from '../stepKeys';
import { provisionAccountStep, regionStep } from './provisionSteps';

export const provisionHandlers: Record<string, StepHandler> = {
  'provision-account': provisionAccountStep,
  'region-step': regionStep,
};

/**
 * Each account's provisioning steps, in order, after `after(account)`; every account at
 * once, since they need nothing from each other.
 */
export function provisionSteps(
  config: MintingConfig,
  desired: DesiredRegion,
  options: { account?: string; after?: (account: string) => string[] } = {},
): NewStep[] {
  const target = { payer: desired.payer, regionOu: desired.name };
  return desired.accounts
    .filter(a => !options.account || a.name === options.account)
    .flatMap(account => {
      const role = config.accountRoles.find(r => r.name === account.role)!;
      const earlier: string[] = [];
      return role.provision.map(step => {
        const key = stepKeys.provision(account.name, step.name);
        const created: NewStep = {
          key,
          kind: 'provision-account',
          title: `Provision ${account.name}: ${step.name}`,
          target: { ...target, account: account.name },
          dependsOn: [...(options.after?.(account.name) ?? []), ...earlier],
        };
        earlier.push(key);
        return created;
      });
    });
}

/** The region's join steps, in order, once `after` (every account's last step) succeeded. */
export function regionJoinSteps(
  config: MintingConfig,
  desired: DesiredRegion,
  after: string[],
): NewStep[] {
  const earlier: string[] = [];
  return config.regionSteps.map(step => {
    const key = stepKeys.region(step.name);
    const created: NewStep = {
      key,
      kind: 'region-step',
      title: `Region ${desired.name}: ${step.name}`,
      target: { payer: desired.payer, regionOu: desired.name },
      dependsOn: [...after, ...earlier],
    };
    earlier.push(key);
    return created;
  });
}
