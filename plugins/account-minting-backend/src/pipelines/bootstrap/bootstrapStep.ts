import { TerminalError } from '../../aws/retry';
import { Reconciler, reconcileStep } from '../../engine/reconcile';
import { accountIdOf } from '../accountId';
import { StepContext } from '../types';
import { assumeIntoMember } from './memberSession';
import {
  DesiredRole,
  desiredProvisioningRole,
  ObservedRole,
  planRole,
  RoleAction,
} from './provisioningRole';
import { RoleIam } from './roleIam';

/** A change to the role, or why there is none, naming the account and role. */
type BootstrapAction = (RoleAction | { action: 'none'; reason: string }) & {
  target: string;
};

interface RoleState {
  accountId: string;
  iam: RoleIam;
  desired: DesiredRole;
  role?: ObservedRole;
  /** Whether the role exists: observed, or created by this step. */
  exists: boolean;
}

/**
 * Pipeline 2 for one account: the provisioning role exists, trusts only the central
 * pipeline principal, and has exactly its boundary and policies. The access role is
 * all-powerful, so this does nothing else, and nothing at all when the role matches.
 */
const bootstrapReconciler: Reconciler<StepContext, RoleState, BootstrapAction> =
  {
    async observe(ctx) {
      if (!ctx.config.bootstrap) {
        throw new TerminalError(
          'accountMinting.bootstrap is not configured: the provisioning role is unknown',
        );
      }
      const accountId = await accountIdOf(ctx);
      const adopted = ctx.desired.accounts.some(
        a => a.name === ctx.step.target.account && a.accountId,
      );
      const credentials = await assumeIntoMember(ctx, accountId, { adopted });
      const iam = new RoleIam(ctx.clients.iam(credentials), {
        ...ctx.timing.backoff,
        signal: ctx.signal,
      });
      const desired = desiredProvisioningRole(ctx.config.bootstrap);
      const role = await iam.observe(desired.name);
      return { accountId, iam, desired, role, exists: role !== undefined };
    },

    plan(ctx, { desired, role }) {
      const target = `${ctx.step.target.account}/${desired.name}`;
      const actions: BootstrapAction[] = planRole(desired, role).map(a => ({
        ...a,
        target,
      }));
      return actions.length > 0
        ? actions
        : [
            {
              action: 'none',
              target,
              reason: `role ${desired.name} matches its configuration`,
            },
          ];
    },

    async apply(_ctx, state, action) {
      if (action.action !== 'none')
        await state.iam.apply(state.desired, action);
      return action.action === 'create-role'
        ? { ...state, exists: true }
        : state;
    },

    // A dry run's plan of a role still to create gives no role to the steps after it.
    outputs(_ctx, { accountId, desired, exists }) {
      return {
        accountId,
        ...(exists
          ? {
              provisioningRoleArn: `arn:aws:iam::${accountId}:role${desired.path}${desired.name}`,
            }
          : {}),
      };
    },
  };

export const bootstrapAccount = reconcileStep(bootstrapReconciler);
