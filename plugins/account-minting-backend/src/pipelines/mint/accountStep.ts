import { PutAccountNameCommand } from '@aws-sdk/client-account';
import {
  MoveAccountCommand,
  TagResourceCommand,
  UntagResourceCommand,
} from '@aws-sdk/client-organizations';
import { OrganizationSession } from '../../aws/OrganizationSession';
import { TerminalError } from '../../aws/retry';
import { payerSession } from '../../engine/stepContext';
import { Reconciler, reconcileStep } from '../../engine/reconcile';
import { DesiredAccount, managedTagKeys } from '../../estate/desired';
import { describeAccount, observeAccount } from '../../estate/observe';
import { ObservedAccount } from '../../estate/observed';
import { planAccount } from '../../estate/plan';
import { StepContext } from '../types';
import { CreationState, ensureAccountCreated } from './createAccount';
import { RegionOuOutputs, regionOuOutputs } from './regionOuStep';

/** What an account step knows of its account: what creating it left, and the account once it exists. */
interface AccountState {
  session: OrganizationSession;
  desired: DesiredAccount;
  region: RegionOuOutputs;
  creation: CreationState;
  account?: ObservedAccount;
}

/** The account with its parent and tags, from the organization's shared copy where it has them. */
async function describe(
  session: OrganizationSession,
  accountId: string,
): Promise<ObservedAccount> {
  return observeAccount(session, await describeAccount(session, accountId));
}

/**
 * An account of the region: created if missing (a guarded create: the intent is saved
 * before CreateAccount, and every later attempt looks before it creates), moved into
 * its region OU, and carrying exactly its managed tags. Nothing is called that would
 * change nothing.
 */
const accountReconciler: Reconciler<StepContext, AccountState> = {
  async observe(ctx) {
    const name = ctx.step.target.account!;
    const desired = ctx.desired.accounts.find(a => a.name === name);
    if (!desired)
      throw new TerminalError(
        `account ${name} is no longer part of region ${ctx.desired.name}`,
      );
    const region = regionOuOutputs(ctx);
    const session = await payerSession(ctx);
    const known = (ctx.step.state ?? {}) as CreationState;
    const creation: CreationState = {
      ...known,
      accountId:
        known.accountId ?? region.accountIds[name] ?? desired.accountId,
      requestId: known.requestId ?? region.inFlight[name],
    };
    const account = creation.accountId
      ? await describe(session, creation.accountId)
      : undefined;
    return { session, desired, region, creation, account };
  },

  plan(ctx, state) {
    return planAccount(
      state.desired,
      {
        account: state.account,
        inFlightRequestId: state.creation.requestId,
        regionOuId: state.region.regionOuId,
      },
      ['Root', ...ctx.desired.ouPath].join('/'),
      managedTagKeys(ctx.config),
    );
  },

  async apply(ctx, state, action) {
    const { session, account } = state;
    switch (action.action) {
      case 'create-account':
      case 'wait-for-creation': {
        const accountId = await ensureAccountCreated(
          ctx,
          session,
          state.desired,
          state.creation,
        );
        const created = {
          ...state,
          creation: { ...state.creation, accountId },
          account: await describe(session, accountId),
        };
        // An account adopted from an earlier creation may lack the tags this one was to be given.
        const retag = accountReconciler
          .plan(ctx, created)
          .filter(
            a => a.action === 'tag-account' || a.action === 'untag-account',
          );
        for (const tagging of retag)
          await accountReconciler.apply(ctx, created, tagging);
        return created;
      }
      case 'move-account': {
        const regionOuId = state.region.regionOuId;
        if (!account || !regionOuId)
          throw new TerminalError(
            `${action.target} cannot move before it and its region OU exist`,
          );
        try {
          await session.send(
            new MoveAccountCommand({
              AccountId: account.id,
              SourceParentId: account.parentId,
              DestinationParentId: regionOuId,
            }),
          );
        } catch (error) {
          // Already there: another attempt moved it.
          if ((error as Error).name !== 'DuplicateAccountException')
            throw error;
        }
        return { ...state, account: { ...account, parentId: regionOuId } };
      }
      case 'tag-account':
        await session.send(
          new TagResourceCommand({
            ResourceId: account!.id,
            Tags: Object.entries(action.tags).map(([Key, Value]) => ({
              Key,
              Value,
            })),
          }),
        );
        return state;
      case 'rename-account':
        if (!session.credentials)
          throw new TerminalError(
            'no payer credentials to rename accounts with',
          );
        await ctx.clients.account(session.credentials).send(
          new PutAccountNameCommand({
            AccountId: account!.id,
            AccountName: action.to,
          }),
        );
        return { ...state, account: { ...account!, name: action.to } };
      case 'untag-account':
        await session.send(
          new UntagResourceCommand({
            ResourceId: account!.id,
            TagKeys: action.keys,
          }),
        );
        return state;
      default:
        throw new TerminalError(
          `an account step cannot ${action.action} ${action.target}`,
        );
    }
  },

  outputs(_ctx, state) {
    return {
      ...(state.account ? { accountId: state.account.id } : {}),
      email: state.desired.email,
    };
  },
};

export const mintAccount = reconcileStep(accountReconciler);
