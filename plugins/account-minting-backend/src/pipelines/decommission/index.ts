import { MintingConfig } from '../../config/mintingConfig';
import { DesiredRegion } from '../../estate/desired';
import { ClosureLedger } from '../../lifecycle/ClosureLedger';
import { NewStep } from '../../runs/types';
import { stepKeys } from '../stepKeys';
import { StepHandler } from '../types';
import { closeAccountStep } from './closeAccountStep';
import { deleteRegionOu } from './deleteRegionOuStep';
import { destroyAccountStep, teardownRegionStep } from './destroyStep';
import { removeProvisioningRole } from './removeRoleStep';
import { RegionRecords, retireRegionStep } from './retireRegionStep';

export type { RegionRecords } from './retireRegionStep';

/** What a decommission's steps keep besides AWS: closures for the quota, the region's record. */
export interface DecommissionSources {
  closures: ClosureLedger;
  records: RegionRecords;
}

export function decommissionHandlers(
  sources: DecommissionSources,
): Record<string, StepHandler> {
  return {
    'teardown-region-step': teardownRegionStep(sources.records),
    'destroy-account-step': destroyAccountStep,
    'remove-provisioning-role': removeProvisioningRole,
    'close-account': closeAccountStep(sources.closures),
    'delete-region-ou': deleteRegionOu,
    'retire-region': retireRegionStep(sources.records),
  };
}

/** Steps that each wait for the one before: `first` waits for `after`. */
function chain(
  steps: Omit<NewStep, 'dependsOn'>[],
  after: string[],
): NewStep[] {
  return steps.map((step, i) => ({
    ...step,
    dependsOn: i === 0 ? after : [steps[i - 1].key],
  }));
}

/**
 * A decommission as the region run's graph undone: the region's join steps torn down
 * in reverse order (a whole region), then each account in parallel through its
 * provisioning steps destroyed in reverse order, its provisioning role removed, and
 * its closure; then the empty region OU deleted and the region retired. Accounts of a
 * region that stays wait for `after` instead: the region's join run again without them.
 */
export function decommissionSteps(
  config: MintingConfig,
  retiring: DesiredRegion,
  options: { accounts?: string[]; after?: string[] },
): NewStep[] {
  const target = { payer: retiring.payer, regionOu: retiring.name };
  const whole = !options.accounts;
  // Without a provisioning role configured, a region is minted only: nothing to destroy.
  const provisioned = Boolean(config.bootstrap);
  const teardown = chain(
    whole && provisioned
      ? [...config.regionSteps].reverse().map(step => ({
          key: stepKeys.teardown(step.name),
          kind: 'teardown-region-step',
          title: `Tear down ${step.name}`,
          target,
        }))
      : [],
    options.after ?? [],
  );
  const afterTeardown = teardown.length
    ? [teardown.at(-1)!.key]
    : options.after ?? [];
  const accounts = retiring.accounts.filter(
    a => whole || options.accounts!.includes(a.name),
  );
  const accountSteps = accounts.map(account => {
    const at = { ...target, account: account.name };
    const destroys = provisioned
      ? [
          ...(config.accountRoles.find(r => r.name === account.role)
            ?.provision ?? []),
        ]
          .reverse()
          .map(step => ({
            key: stepKeys.destroy(account.name, step.name),
            kind: 'destroy-account-step',
            title: `Destroy ${step.name} of ${account.name}`,
            target: at,
          }))
      : [];
    return chain(
      [
        ...destroys,
        ...(provisioned
          ? [
              {
                key: stepKeys.removeRole(account.name),
                kind: 'remove-provisioning-role',
                title: `Provisioning role of ${account.name}`,
                target: at,
              },
            ]
          : []),
        {
          key: stepKeys.close(account.name),
          kind: 'close-account',
          title: `Close ${account.name}`,
          target: at,
        },
      ],
      afterTeardown,
    );
  });
  const closes = accountSteps.map(steps => steps.at(-1)!.key);
  const regionOu = whole
    ? chain(
        [
          {
            key: stepKeys.deleteRegionOu(),
            kind: 'delete-region-ou',
            title: `Region OU ${retiring.name}`,
            target,
          },
          {
            key: stepKeys.retireRegion(),
            kind: 'retire-region',
            title: `Retire region ${retiring.name}`,
            target,
          },
        ],
        closes,
      )
    : [];
  return [...teardown, ...accountSteps.flat(), ...regionOu];
}
