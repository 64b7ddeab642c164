import {
  Account,
  DescribeAccountCommand,
  DescribeAccountCommandOutput,
} from '@aws-sdk/client-organizations';
import { OrganizationSession } from '../../aws/OrganizationSession';
import { TerminalError } from '../../aws/retry';
import { payerSession } from '../../engine/stepContext';
import { DesiredAccount } from '../../estate/desired';
import { listAccounts } from '../../estate/observe';
import { parseStepKey } from '../stepKeys';
import { StepContext } from '../types';

/** An account a decommission acts on: as accepted, and as AWS has it, if it still does. */
export interface RetiringAccount {
  session: OrganizationSession;
  desired: DesiredAccount;
  /** Absent when AWS has no such account: never made, or removed after its closure. */
  account?: Account;
}

async function describe(
  session: OrganizationSession,
  accountId: string,
): Promise<Account | undefined> {
  try {
    const { Account: account } =
      await session.send<DescribeAccountCommandOutput>(
        new DescribeAccountCommand({ AccountId: accountId }),
      );
    return account;
  } catch (error) {
    if ((error as Error).name === 'AccountNotFoundException') return undefined;
    throw error;
  }
}

/**
 * The step's account: by the id an earlier step of this account found or the id it
 * was adopted with, else by its email, as every pipeline finds it.
 */
export async function findRetiringAccount(
  ctx: StepContext,
): Promise<RetiringAccount> {
  const name = ctx.step.target.account!;
  const desired = ctx.desired.accounts.find(a => a.name === name);
  if (!desired)
    throw new TerminalError(
      `account ${name} was never part of region ${ctx.desired.name}`,
    );
  const session = await payerSession(ctx);
  const known =
    desired.accountId ??
    Object.entries(ctx.dependencyOutputs)
      .filter(([key]) => {
        const parsed = parseStepKey(key);
        return 'account' in parsed && parsed.account === name;
      })
      .map(([, outputs]) => outputs?.accountId)
      .find((id): id is string => typeof id === 'string');
  const account = known
    ? await describe(session, known)
    : (await listAccounts(session)).find(
        a => a.Email?.toLowerCase() === desired.email.toLowerCase(),
      );
  return { session, desired, account };
}

/** Why a step of a decommission has nothing to do to an account that is gone or closing. */
export function goneReason(retiring: RetiringAccount): string | undefined {
  const { account, desired } = retiring;
  if (!account)
    return `account ${desired.name} <${desired.email}> does not exist in the payer organization`;
  if (account.Status !== 'ACTIVE')
    return `account ${desired.name} (${account.Id}) is ${account.Status}`;
  return undefined;
}
