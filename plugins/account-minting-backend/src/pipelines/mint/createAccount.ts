import {
  CreateAccountCommand,
  CreateAccountCommandOutput,
  CreateAccountStatus,
  DescribeCreateAccountStatusCommand,
  DescribeCreateAccountStatusCommandOutput,
} from '@aws-sdk/client-organizations';
import { setTimeout as sleep } from 'node:timers/promises';
import { OrganizationSession } from '../../aws/OrganizationSession';
import { TerminalError } from '../../aws/retry';
import { DesiredAccount } from '../../estate/desired';
import { listAccounts, listCreations } from '../../estate/observe';
import { StepContext } from '../types';

/** What an account step records before and after CreateAccount, so that no retry issues it twice. */
export interface CreationState {
  /** Recorded before CreateAccount is called. */
  intentAt?: string;
  requestId?: string;
  accountId?: string;
}

const FAILURE_EXPLANATIONS: Record<string, string> = {
  EMAIL_ALREADY_EXISTS:
    'another AWS account already uses this email; change accountEmail or free the address',
  ACCOUNT_LIMIT_EXCEEDED:
    'the organization reached its account quota (closed accounts count too); ask AWS to raise it',
  INVALID_EMAIL: 'AWS does not accept this email address; check accountEmail',
  INVALID_ADDRESS:
    'the payer account has no valid address; fix its contact information',
  INVALID_IDENTITY_FOR_BUSINESS_VALIDATION:
    'the payer account failed business validation',
  MISSING_PAYMENT_INSTRUMENT: 'the payer account has no valid payment method',
  MISSING_BUSINESS_VALIDATION:
    'the payer account has not completed business validation',
};
// AWS asks callers to try these again later.
const RETRYABLE_FAILURES = new Set([
  'CONCURRENT_ACCOUNT_MODIFICATION',
  'INTERNAL_FAILURE',
]);

/** A transient failure: the step is retried later, and creation starts over. */
class CreationRetryable extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConcurrentModificationException';
  }
}

/**
 * Finds a creation this step may have started before it was interrupted: the account
 * itself (by email), or a creation request for its name made after the intent.
 */
async function findEarlierCreation(
  session: OrganizationSession,
  account: DesiredAccount,
  intentAt: string,
): Promise<CreationState> {
  const existing = (await listAccounts(session)).find(
    a => a.Email?.toLowerCase() === account.email.toLowerCase(),
  );
  if (existing?.Id) return { accountId: existing.Id };
  const since = Date.parse(intentAt) - 60_000;
  const request = (
    await listCreations(session, ['IN_PROGRESS', 'SUCCEEDED', 'FAILED'])
  )
    .filter(
      c =>
        c.AccountName === account.name &&
        (c.RequestedTimestamp?.getTime() ?? 0) >= since,
    )
    .sort(
      (a, b) =>
        (b.RequestedTimestamp?.getTime() ?? 0) -
        (a.RequestedTimestamp?.getTime() ?? 0),
    )[0];
  return request?.Id ? { requestId: request.Id } : {};
}

async function waitForCreation(
  ctx: StepContext,
  session: OrganizationSession,
  requestId: string,
  requestedAt: number,
) {
  let delay = ctx.timing.pollMinMs;
  let first = true;
  for (;;) {
    const { CreateAccountStatus: status } =
      await session.send<DescribeCreateAccountStatusCommandOutput>(
        new DescribeCreateAccountStatusCommand({
          CreateAccountRequestId: requestId,
        }),
      );
    if (status?.State !== 'IN_PROGRESS') {
      const started = status?.RequestedTimestamp?.getTime();
      const completed = status?.CompletedTimestamp?.getTime();
      if (started && completed)
        ctx.creationTimes.record(ctx.payer.name, completed - started);
      return status as CreateAccountStatus;
    }
    // The first wait lasts until the creation should be done, when creations were seen before.
    const expected = first
      ? ctx.creationTimes.expected(ctx.payer.name)
      : undefined;
    const untilExpected =
      expected === undefined ? 0 : expected - (Date.now() - requestedAt);
    first = false;
    await sleep(Math.max(delay, untilExpected), undefined, {
      signal: ctx.signal,
    });
    delay = Math.min(ctx.timing.pollMaxMs, delay * 1.5);
  }
}

/**
 * Makes sure the account exists and returns its id. CreateAccount is not idempotent:
 * the intent is saved first, and on any later attempt the account and the creation
 * requests are looked up before it is called again.
 */
export async function ensureAccountCreated(
  ctx: StepContext,
  session: OrganizationSession,
  account: DesiredAccount,
  known: CreationState,
): Promise<string> {
  let state: CreationState = { ...known };
  if (state.accountId) return state.accountId;
  const save = (next: CreationState) =>
    ctx.saveProgress({ state: { ...next } });

  return ctx.gates.creations(ctx.payer.name)(async () => {
    if (!state.requestId && state.intentAt) {
      state = {
        ...state,
        ...(await findEarlierCreation(session, account, state.intentAt)),
      };
      if (state.accountId) {
        await save(state);
        return state.accountId;
      }
    }
    if (!state.requestId) {
      state = { intentAt: new Date().toISOString() };
      await save(state);
      const created = await session.send<CreateAccountCommandOutput>(
        new CreateAccountCommand({
          AccountName: account.name,
          Email: account.email,
          Tags: Object.entries(account.tags).map(([Key, Value]) => ({
            Key,
            Value,
          })),
        }),
      );
      state = { ...state, requestId: created.CreateAccountStatus!.Id! };
      await save(state);
      ctx.log(
        'info',
        `CreateAccount ${account.name} <${account.email}>: request ${state.requestId}`,
      );
    }
    const status = await waitForCreation(
      ctx,
      session,
      state.requestId!,
      state.intentAt ? Date.parse(state.intentAt) : Date.now(),
    );
    if (status.State === 'SUCCEEDED' && status.AccountId) {
      state = { ...state, accountId: status.AccountId };
      await save(state);
      ctx.log('info', `account ${account.name} created: ${status.AccountId}`);
      return status.AccountId;
    }
    const reason = status.FailureReason ?? 'UNKNOWN';
    const message = `CreateAccount of ${account.name} <${account.email}> FAILED: ${reason}`;
    if (RETRYABLE_FAILURES.has(reason)) {
      // This request is over; the next attempt creates the account anew.
      await save({});
      throw new CreationRetryable(`${message}; AWS asks to try again`);
    }
    throw new TerminalError(
      `${message}: ${
        FAILURE_EXPLANATIONS[reason] ??
        'see the AWS Organizations documentation'
      }`,
    );
  });
}
