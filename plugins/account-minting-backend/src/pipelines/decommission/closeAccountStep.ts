import {
  CloseAccountCommand,
  DescribeAccountCommand,
  DescribeAccountCommandOutput,
  MoveAccountCommand,
} from '@aws-sdk/client-organizations';
import { PlanAction } from '@regional-minting/plugin-account-minting-common';
import { setTimeout as sleep } from 'node:timers/promises';
import { ensureOu } from '../../aws/ensureOu';
import { TerminalError, WaitUntilError } from '../../aws/retry';
import { Reconciler, reconcileStep } from '../../engine/reconcile';
import { observeAccount } from '../../estate/observe';
import { childOus, findRootId, listAccounts } from '../../estate/observe';
import { ObservedAccount } from '../../estate/observed';
import {
  closeWindowOf,
  ClosureLedger,
  WindowUsage,
} from '../../lifecycle/ClosureLedger';
import { StepContext } from '../types';
import { findRetiringAccount, RetiringAccount } from './retiringAccount';

interface CloseState {
  retiring: RetiringAccount;
  account?: ObservedAccount;
  rootId: string;
  closedOuId?: string;
  /** The close quota's window now, for an account still to close. */
  usage?: WindowUsage;
}

const closedOuPath = (ctx: StepContext) =>
  `Root/${ctx.config.decommission.closedOu}`;

/** The organization's close quota: its member accounts say how many AWS lets close. */
async function closeWindow(ctx: StepContext, retiring: RetiringAccount) {
  const accounts = await listAccounts(retiring.session);
  return closeWindowOf(
    ctx.config.decommission,
    ctx.payer.name,
    new Set(accounts.map(a => a.Id ?? '')),
    ctx.payer.accountId,
  );
}

/**
 * Refuses to close what this product must never close: the management account, an
 * account it does not manage, an account of another region.
 * @throws TerminalError naming the account and the rule
 */
function checkClosable(ctx: StepContext, account: ObservedAccount) {
  const named = `account ${account.name} (${account.id})`;
  if (account.id === ctx.payer.accountId)
    throw new TerminalError(
      `${named} is the management account of payer ${ctx.payer.name}: it is never closed`,
    );
  const managedBy = ctx.desired.accounts[0]?.tags['managed-by'];
  if (account.tags['managed-by'] !== managedBy)
    throw new TerminalError(
      `${named} is not tagged managed-by: ${managedBy}: this product never closes an account it does not manage`,
    );
  const regionOu = account.tags['region-ou'];
  if (regionOu && regionOu !== ctx.desired.name)
    throw new TerminalError(
      `${named} is tagged as an account of region ${regionOu}, not ${ctx.desired.name}: it is not closed`,
    );
}

/**
 * The last of an account: moved to the closed OU (made when missing), closed within
 * AWS's close quota, and waited for until AWS has suspended it. A closure that does
 * not fit the quota waits, queued, for the window to free a slot.
 */
function closeReconciler(
  closures: ClosureLedger,
): Reconciler<StepContext, CloseState> {
  /** Reserves a slot in the quota, then closes; a crash between the two keeps the reservation. */
  async function close(ctx: StepContext, state: CloseState) {
    const { session } = state.retiring;
    const accountId = state.account!.id;
    const window = await closeWindow(ctx, state.retiring);
    const reservation = await closures.reserve(window, {
      accountId,
      regionOu: ctx.desired.name,
      runId: ctx.run.id,
    });
    if (!reservation.ok)
      throw new WaitUntilError(
        `waiting for the close quota of payer ${ctx.payer.name} (${
          window.limit
        } per ${
          ctx.config.decommission.closeWindowDays
        } days), next slot on ${reservation.nextSlotAt.toISOString()}`,
        reservation.nextSlotAt,
      );
    try {
      await session.send(new CloseAccountCommand({ AccountId: accountId }));
    } catch (error) {
      const e = error as { name?: string; Reason?: string };
      // Closed by an attempt whose answer was lost.
      if (e.name === 'AccountAlreadyClosedException') return;
      if (e.Reason === 'CLOSE_ACCOUNT_QUOTA_EXCEEDED') {
        // AWS counts closures this product did not make: its slot comes back, and the step waits.
        await closures.release(ctx.payer.name, accountId);
        const usage = await closures.usage(window);
        const notBefore =
          usage.nextSlotAt ?? new Date(Date.now() + window.windowMs / 30);
        throw new WaitUntilError(
          `AWS refused the closure: the close quota of payer ${
            ctx.payer.name
          } is used up; next try on ${notBefore.toISOString()}`,
          notBefore,
        );
      }
      throw error;
    }
  }

  /** Polls the account until AWS says SUSPENDED: PENDING_CLOSURE comes first. */
  async function waitForClosure(ctx: StepContext, state: CloseState) {
    let delay = ctx.timing.pollMinMs;
    for (;;) {
      const { Account: account } =
        await state.retiring.session.send<DescribeAccountCommandOutput>(
          new DescribeAccountCommand({ AccountId: state.account!.id }),
        );
      if (account?.Status === 'SUSPENDED') return;
      await sleep(delay, undefined, { signal: ctx.signal });
      delay = Math.min(ctx.timing.pollMaxMs, delay * 1.5);
    }
  }

  return {
    async observe(ctx) {
      const retiring = await findRetiringAccount(ctx);
      const { session } = retiring;
      const rootId = await findRootId(session);
      const closedOuId = (await childOus(session, rootId)).find(
        ou => ou.Name === ctx.config.decommission.closedOu,
      )?.Id;
      if (!retiring.account) return { retiring, rootId, closedOuId };
      const account = await observeAccount(session, retiring.account);
      checkClosable(ctx, account);
      const usage =
        account.status === 'ACTIVE'
          ? await closures.usage(await closeWindow(ctx, retiring))
          : undefined;
      return { retiring, account, rootId, closedOuId, usage };
    },

    plan(ctx, { retiring, account, closedOuId, usage }) {
      const target = retiring.desired.name;
      if (!account)
        return [
          {
            action: 'none',
            target,
            reason: `account ${target} <${retiring.desired.email}> does not exist in the payer organization: nothing to close`,
          },
        ];
      const accountId = account.id;
      const actions: PlanAction[] = [];
      const { closedOu } = ctx.config.decommission;
      if (!closedOuId)
        actions.push({
          action: 'create-ou',
          target: closedOuPath(ctx),
          parentPath: 'Root',
          name: closedOu,
          reason: `the closed OU ${closedOu} does not exist`,
        });
      if (!closedOuId || account.parentId !== closedOuId)
        actions.push({
          action: 'move-account',
          target,
          accountId,
          to: closedOuPath(ctx),
          reason:
            'closed accounts wait in the closed OU until AWS removes them',
        });
      if (account.status === 'ACTIVE') {
        actions.push(
          usage?.nextSlotAt
            ? {
                action: 'wait-for-close-quota',
                target,
                accountId,
                notBefore: usage.nextSlotAt.toISOString(),
                reason: `the close quota of payer ${
                  ctx.payer.name
                } is used up: waiting for the close quota, next slot on ${usage.nextSlotAt.toISOString()}`,
              }
            : {
                action: 'close-account',
                target,
                accountId,
                reason: `${
                  usage?.left ?? 0
                } closures left in the close quota's window`,
              },
        );
      }
      if (account.status !== 'SUSPENDED')
        actions.push({
          action: 'wait-for-closure',
          target,
          accountId,
          reason: 'AWS suspends a closing account after PENDING_CLOSURE',
        });
      return actions.length > 0
        ? actions
        : [
            {
              action: 'none',
              target,
              reason: `${account.status} in ${closedOuPath(ctx)}`,
            },
          ];
    },

    async apply(ctx, state, action) {
      const { session } = state.retiring;
      switch (action.action) {
        case 'create-ou':
          return {
            ...state,
            closedOuId: await ensureOu(
              session,
              state.rootId,
              ctx.config.decommission.closedOu,
            ),
          };
        case 'move-account': {
          const account = state.account!;
          try {
            await session.send(
              new MoveAccountCommand({
                AccountId: account.id,
                SourceParentId: account.parentId,
                DestinationParentId: state.closedOuId!,
              }),
            );
          } catch (error) {
            // Moved by an attempt whose answer was lost.
            if ((error as Error).name !== 'DuplicateAccountException')
              throw error;
          }
          return {
            ...state,
            account: { ...account, parentId: state.closedOuId! },
          };
        }
        case 'close-account':
        case 'wait-for-close-quota':
          await close(ctx, state);
          return state;
        case 'wait-for-closure':
          await waitForClosure(ctx, state);
          return {
            ...state,
            account: { ...state.account!, status: 'SUSPENDED' },
          };
        default:
          throw new TerminalError(
            `a close step cannot ${action.action} ${action.target}`,
          );
      }
    },

    outputs(_ctx, { account }) {
      return account ? { accountId: account.id, status: account.status } : {};
    },
  };
}

export function closeAccountStep(closures: ClosureLedger) {
  return reconcileStep(closeReconciler(closures));
}
