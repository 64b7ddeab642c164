import {
  Account,
  DeleteOrganizationalUnitCommand,
  ListAccountsForParentCommand,
  ListAccountsForParentCommandOutput,
} from '@aws-sdk/client-organizations';
import { OrganizationSession } from '../../aws/OrganizationSession';
import { TerminalError } from '../../aws/retry';
import { payerSession } from '../../engine/stepContext';
import { Reconciler, reconcileStep } from '../../engine/reconcile';
import { childOus, findRootId, observeOuPath } from '../../estate/observe';
import { StepContext } from '../types';

interface RegionOuState {
  session: OrganizationSession;
  ouId?: string;
  /** Accounts in the OU that this decommission moves out before the OU is deleted. */
  leaving: Account[];
}

function accountsIn(session: OrganizationSession, parentId: string) {
  return session.listAll<Account, ListAccountsForParentCommandOutput>(
    NextToken =>
      new ListAccountsForParentCommand({ ParentId: parentId, NextToken }),
    o => o.Accounts,
  );
}

/**
 * The region OU deleted once its accounts have left it, last of a region's
 * decommission. Anything in it that the region does not have (an account made by
 * hand, an OU) stops the step with its names: nothing of anybody else is moved.
 */
const deleteRegionOuReconciler: Reconciler<StepContext, RegionOuState> = {
  async observe(ctx) {
    const session = await payerSession(ctx);
    const path = await observeOuPath(
      session,
      await findRootId(session),
      ctx.desired.ouPath,
    );
    const ouId = path.at(-1)?.id;
    if (!ouId) return { session, leaving: [] };
    const [accounts, ous] = await Promise.all([
      accountsIn(session, ouId),
      childOus(session, ouId),
    ]);
    const emails = new Set(
      ctx.desired.accounts.map(a => a.email.toLowerCase()),
    );
    const ids = new Set(ctx.desired.accounts.map(a => a.accountId));
    const others = [
      ...accounts
        .filter(
          a => !emails.has(a.Email?.toLowerCase() ?? '') && !ids.has(a.Id),
        )
        .map(a => `account ${a.Name} (${a.Id})`),
      ...ous.map(ou => `OU ${ou.Name}`),
    ];
    if (others.length > 0)
      throw new TerminalError(
        `region OU ${ctx.desired.name} holds ${others.join(
          ', ',
        )}, which the region does not have: move them out, or adopt the accounts, before it is deleted`,
      );
    return { session, ouId, leaving: accounts };
  },

  plan(ctx, { ouId, leaving }) {
    const target = `Root/${ctx.desired.ouPath.join('/')}`;
    if (!ouId)
      return [
        {
          action: 'none',
          target,
          reason: `region OU ${ctx.desired.name} does not exist`,
        },
      ];
    return [
      {
        action: 'delete-ou',
        target,
        ouId,
        reason:
          leaving.length > 0
            ? `once its ${leaving.length} accounts have moved to the closed OU`
            : 'it is empty',
      },
    ];
  },

  async apply(ctx, state) {
    try {
      await state.session.send(
        new DeleteOrganizationalUnitCommand({
          OrganizationalUnitId: state.ouId!,
        }),
      );
    } catch (error) {
      const name = (error as Error).name;
      // Deleted by an attempt whose answer was lost.
      if (name === 'OrganizationalUnitNotFoundException') return state;
      if (name === 'OrganizationalUnitNotEmptyException')
        throw new TerminalError(
          `region OU ${ctx.desired.name} is not empty: ${
            (error as Error).message
          }`,
        );
      throw error;
    }
    return { ...state, ouId: undefined };
  },

  outputs() {
    return {};
  },
};

export const deleteRegionOu = reconcileStep(deleteRegionOuReconciler);
