import {
  hasDestroy,
  ProvisionContext,
} from '@regional-minting/plugin-account-minting-node';
import { Reconciler, reconcileStep } from '../../engine/reconcile';
import { ProvisionStepConfig } from '../../config/mintingConfig';
import {
  accountProvisionContext,
  assumeProvisioningRole,
  regionProvisionContext,
} from '../provision/provisionSteps';
import { parseStepKey } from '../stepKeys';
import { StepContext } from '../types';
import { RegionRecords } from './retireRegionStep';
import { findRetiringAccount, goneReason } from './retiringAccount';

/** What destroying a provisioning step needs: its configuration and the provisioner's context. */
interface DestroyState {
  step?: ProvisionStepConfig;
  /** Why there is nothing to destroy: the account is gone, the step left the configuration. */
  nothing?: string;
  context?: ProvisionContext;
  accountId?: string;
}

/** The configured step a teardown or destroy key names. */
function configuredStep(ctx: StepContext): ProvisionStepConfig | undefined {
  const parsed = parseStepKey(ctx.step.key);
  if (parsed.kind === 'teardown')
    return ctx.config.regionSteps.find(s => s.name === parsed.step);
  if (parsed.kind !== 'destroy') return undefined;
  const role = ctx.desired.accounts.find(a => a.name === parsed.account)?.role;
  return ctx.config.accountRoles
    .find(r => r.name === role)
    ?.provision.find(s => s.name === parsed.step);
}

/**
 * A provisioning step undone: its provisioner destroys what it made, with the state it
 * applied with. A provisioner that cannot destroy leaves it in place, and the plan says
 * so; destroying what is gone already succeeds, so a retry repeats it harmlessly.
 */
function destroyReconciler(
  prepare: (
    ctx: StepContext,
    step: ProvisionStepConfig,
  ) => Promise<DestroyState>,
): Reconciler<StepContext, DestroyState> {
  return {
    async observe(ctx) {
      const step = configuredStep(ctx);
      if (!step)
        return {
          nothing: `${ctx.step.title} is no longer in the configuration: what it made is left in place`,
        };
      return { step, ...(await prepare(ctx, step)) };
    },

    plan(ctx, { step, nothing, context }) {
      const target = ctx.step.title;
      if (nothing) return [{ action: 'none', target, reason: nothing }];
      const provisioner = ctx.provisioners.get(step!.provisioner);
      if (!hasDestroy(provisioner, context!))
        return [
          {
            action: 'leave-in-place',
            target,
            reason: `${step!.provisioner} has no destroy for ${
              step!.name
            }: what it made is left in place`,
          },
        ];
      return [
        {
          action: 'destroy',
          target,
          provisioner: step!.provisioner,
          reason: `${step!.provisioner} destroys ${
            step!.name
          } with its state s3://${context!.state.bucket}/${context!.state.key}`,
        },
      ];
    },

    async apply(ctx, state) {
      const provisioner = ctx.provisioners.get(state.step!.provisioner);
      await ctx.provisionGate(() => provisioner.destroy!(state.context!));
      return state;
    },

    outputs(_ctx, { accountId }) {
      return accountId ? { accountId } : {};
    },
  };
}

/**
 * A region join step torn down, first of a region's decommission, as the central
 * principal. A region decommissioned already had it torn down before it was marked so:
 * decommissioning it again changes nothing.
 */
export function teardownRegionStep(records: RegionRecords) {
  return reconcileStep(
    destroyReconciler(async (ctx, step) =>
      (await records.status(ctx.desired.name)) === 'decommissioned'
        ? {
            nothing: `region ${ctx.desired.name} is decommissioned: ${step.name} was torn down then`,
          }
        : {
            context: regionProvisionContext(ctx, ctx.desired, step, {
              credentials: await ctx.clients.centralCredentials(),
              previousOutputs: {},
            }),
          },
    ),
  );
}

/** One of an account's provisioning steps destroyed, as its provisioning role. */
export const destroyAccountStep = reconcileStep(
  destroyReconciler(async (ctx, step) => {
    const retiring = await findRetiringAccount(ctx);
    const gone = goneReason(retiring);
    if (gone) return { nothing: `${gone}: nothing to destroy` };
    const accountId = retiring.account!.Id!;
    const credentials = await assumeProvisioningRole(
      ctx,
      accountId,
      `dest-${ctx.run.id.slice(0, 8)}-${retiring.desired.name}`.slice(0, 64),
    );
    return {
      accountId,
      context: accountProvisionContext(
        ctx,
        { region: ctx.desired, account: retiring.desired, id: accountId },
        step,
        { credentials, outputs: {} },
      ),
    };
  }),
);
