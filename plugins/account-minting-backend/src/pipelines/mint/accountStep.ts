import {
  DescribeAccountCommand,
  DescribeAccountCommandOutput,
  MoveAccountCommand,
  TagResourceCommand,
  UntagResourceCommand,
} from '@aws-sdk/client-organizations';
import { JsonObject } from '@backstage/types';
import { managedTagKeys } from '../../estate/desired';
import { observeAccount } from '../../estate/observe';
import { planAccount } from '../../estate/plan';
import { payerSession } from '../../engine/stepContext';
import { StepHandler } from '../types';
import { CreationState, ensureAccountCreated } from './createAccount';
import { regionOuOutputs } from './regionOuStep';

/**
 * An account of the region: created if missing, moved into its region OU, and
 * carrying exactly its managed tags. Nothing is called that would change nothing.
 */
export const mintAccount: StepHandler = async ctx => {
  const name = ctx.step.target.account!;
  const desired = ctx.desired.accounts.find(a => a.name === name);
  if (!desired)
    throw new Error(
      `account ${name} is no longer part of region ${ctx.desired.name}`,
    );
  const region = regionOuOutputs(ctx);
  const session = await payerSession(ctx);

  const known = (ctx.step.state ?? {}) as CreationState;
  const accountId = await ensureAccountCreated(ctx, session, desired, {
    ...known,
    accountId: known.accountId ?? region.accountIds[name],
    requestId: known.requestId ?? region.inFlight[name],
  });

  const { Account } = await session.send<DescribeAccountCommandOutput>(
    new DescribeAccountCommand({ AccountId: accountId }),
  );
  const observed = await observeAccount(session, Account!);
  const regionOuPath = ['Root', ...ctx.desired.ouPath].join('/');
  // The plan of the region's dry run, from this account's own observation; carried out as written.
  const actions = planAccount(
    desired,
    { account: observed, regionOuId: region.regionOuId },
    regionOuPath,
    managedTagKeys(ctx.config),
  );
  await ctx.saveProgress({ plan: { actions } as unknown as JsonObject });

  for (const action of actions) {
    if (action.action === 'move-account') {
      try {
        await session.send(
          new MoveAccountCommand({
            AccountId: accountId,
            SourceParentId: observed.parentId,
            DestinationParentId: region.regionOuId,
          }),
        );
      } catch (error) {
        // Already there: another attempt moved it.
        if ((error as Error).name !== 'DuplicateAccountException') throw error;
      }
    } else if (action.action === 'tag-account') {
      await session.send(
        new TagResourceCommand({
          ResourceId: accountId,
          Tags: Object.entries(action.tags).map(([Key, Value]) => ({
            Key,
            Value,
          })),
        }),
      );
    } else if (action.action === 'untag-account') {
      await session.send(
        new UntagResourceCommand({
          ResourceId: accountId,
          TagKeys: action.keys,
        }),
      );
    }
    if (action.action !== 'none')
      ctx.log('info', `${action.action} ${name}: ${action.reason}`);
  }
  return { accountId, email: desired.email };
};
