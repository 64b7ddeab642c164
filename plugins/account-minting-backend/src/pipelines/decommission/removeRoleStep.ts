import { TerminalError } from '../../aws/retry';
import { Reconciler, reconcileStep } from '../../engine/reconcile';
import { assumeIntoMember } from '../bootstrap/memberSession';
import {
  desiredProvisioningRole,
  ObservedRole,
  planRoleRemoval,
  RoleAction,
} from '../bootstrap/provisioningRole';
import { RoleIam } from '../bootstrap/roleIam';
import { StepContext } from '../types';
import { findRetiringAccount, goneReason } from './retiringAccount';

type RemovalAction = (RoleAction | { action: 'none'; reason: string }) & {
  target: string;
};

interface RemovalState {
  roleName: string;
  nothing?: string;
  accountId?: string;
  iam?: RoleIam;
  role?: ObservedRole;
}

/**
 * The provisioning role removed from an account being decommissioned, after its
 * provisioning steps are destroyed (they needed it) and before it is closed: no
 * principal of the pipeline can act in the account afterwards.
 */
const removeRoleReconciler: Reconciler<
  StepContext,
  RemovalState,
  RemovalAction
> = {
  async observe(ctx) {
    if (!ctx.config.bootstrap)
      throw new TerminalError(
        'accountMinting.bootstrap is not configured: the provisioning role is unknown',
      );
    const roleName = desiredProvisioningRole(ctx.config.bootstrap).name;
    const retiring = await findRetiringAccount(ctx);
    const gone = goneReason(retiring);
    if (gone) return { roleName, nothing: `${gone}: no role to remove` };
    const accountId = retiring.account!.Id!;
    const iam = new RoleIam(
      ctx.clients.iam(await assumeIntoMember(ctx, accountId)),
      { ...ctx.timing.backoff, signal: ctx.signal },
    );
    return { roleName, accountId, iam, role: await iam.observe(roleName) };
  },

  plan(ctx, { roleName, nothing, role }) {
    const target = `${ctx.step.target.account}/${roleName}`;
    if (nothing) return [{ action: 'none', target, reason: nothing }];
    const actions = planRoleRemoval(roleName, role);
    return actions.length > 0
      ? actions.map(a => ({ ...a, target }))
      : [{ action: 'none', target, reason: `role ${roleName} does not exist` }];
  },

  async apply(ctx, state, action) {
    if (action.action === 'none') return state;
    const desired = desiredProvisioningRole(ctx.config.bootstrap!);
    await state.iam!.apply(desired, action);
    return state;
  },

  outputs(_ctx, { accountId }) {
    return accountId ? { accountId } : {};
  },
};

export const removeProvisioningRole = reconcileStep(removeRoleReconciler);
