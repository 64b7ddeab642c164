import { TerminalError } from '../aws/retry';
import { listAccounts } from '../estate/observe';
import { payerSession } from '../engine/stepContext';
import { NotYetObservableError } from '../engine/reconcile';
import { stepKeys } from './stepKeys';
import { StepContext } from './types';

/**
 * The id of the step's account: from an earlier step of the run that knows it, or
 * looked up by email in the payer organization when a pipeline runs alone.
 */
export async function accountIdOf(ctx: StepContext): Promise<string> {
  const name = ctx.step.target.account!;
  const minted = ctx.dependencyOutputs[stepKeys.account(name)];
  if (minted && typeof minted.accountId !== 'string')
    throw new NotYetObservableError(
      `account ${name} is created by this run first`,
    );
  const known = Object.values(ctx.dependencyOutputs).find(
    o => typeof o?.accountId === 'string',
  )?.accountId;
  if (typeof known === 'string') return known;
  const desired = ctx.desired.accounts.find(a => a.name === name);
  if (!desired)
    throw new TerminalError(
      `account ${name} is no longer part of region ${ctx.desired.name}`,
    );
  const session = await payerSession(ctx);
  const account = (await listAccounts(session)).find(
    a => a.Email?.toLowerCase() === desired.email.toLowerCase(),
  );
  if (!account?.Id) {
    throw new NotYetObservableError(
      `account ${name} <${desired.email}> does not exist yet; mint the region first`,
    );
  }
  return account.Id;
}
