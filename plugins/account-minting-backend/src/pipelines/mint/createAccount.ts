import {
  CreateAccountCommand,
  CreateAccountCommandOutput,
} from '@aws-sdk/client-organizations';
import { OrganizationSession } from '../../aws/OrganizationSession';
import { RetryableError, TerminalError } from '../../aws/retry';
import { DesiredAccount } from '../../estate/desired';
import { listAccounts, listCreations } from '../../estate/observe';
import { StepContext } from '../types';

/** What an account step records before and after CreateAccount, so that no retry issues it twice. */
export interface CreationState {
  /** Recorded before CreateAccount is called: from then on, every attempt looks before it creates. */
  intentAt?: string;
  requestId?: string;
  /** When AWS received the request, by its clock: when the creation should end is reckoned from it. */
  requestedAt?: string;
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

/** AWS failed a creation and asks to try again: this request is over, and the next attempt creates anew. */
class CreationRetryable extends RetryableError {}

/**
 * Finds a creation of this account that an earlier attempt, a crashed backend or a
 * lost answer may have left: the account itself (by email), or a request for its name
 * that is still in progress or succeeded, however old. Failed requests are over: they
 * are never adopted.
 */
async function findEarlierCreation(
  session: OrganizationSession,
  account: DesiredAccount,
): Promise<Pick<CreationState, 'accountId' | 'requestId'>> {
  // What an earlier attempt may have done is not in any copy: AWS is read.
  const existing = (await listAccounts(session, { fresh: true })).find(
    a => a.Email?.toLowerCase() === account.email.toLowerCase(),
  );
  if (existing?.Id) return { accountId: existing.Id };
  const requests = (
    await listCreations(session, ['IN_PROGRESS', 'SUCCEEDED'], { fresh: true })
  )
    .filter(c => c.AccountName === account.name)
    .sort(
      (a, b) =>
        (b.RequestedTimestamp?.getTime() ?? 0) -
        (a.RequestedTimestamp?.getTime() ?? 0),
    );
  const inProgress = requests.find(c => c.State === 'IN_PROGRESS');
  if (inProgress?.Id) return { requestId: inProgress.Id };
  const succeeded = requests.find(c => c.AccountId);
  return succeeded?.AccountId ? { accountId: succeeded.AccountId } : {};
}

/**
 * Makes sure the account exists and returns its id. CreateAccount is not idempotent:
 * the intent is saved first, and every later attempt looks for the account and its
 * requests before calling it again. The account's email is the key AWS keeps unique:
 * EMAIL_ALREADY_EXISTS for it means another creation of it got there first, so it
 * is looked up, never taken as a failure of the account.
 */
export async function ensureAccountCreated(
  ctx: StepContext,
  session: OrganizationSession,
  account: DesiredAccount,
  known: CreationState,
): Promise<string> {
  let state: CreationState = { ...known };
  const save = async (next: CreationState) => {
    state = next;
    await ctx.saveProgress({ state: { ...next } });
  };
  /** Takes over what an earlier creation of the account left, if anything. */
  const adoptEarlier = async (why: string): Promise<boolean> => {
    const found = await findEarlierCreation(session, account);
    if (!found.accountId && !found.requestId) return false;
    await save({ intentAt: state.intentAt, ...found });
    ctx.log(
      'info',
      `${why}: ${
        found.accountId
          ? `account ${found.accountId} exists`
          : `request ${found.requestId} is in progress`
      }; adopting it`,
    );
    return true;
  };
  const observer = ctx.observers.of(ctx.payer.name);
  /** CreateAccount unless a request is known, then a wait until AWS has ended it. */
  const createdAndEnded = async () => {
    if (!state.requestId) await create(ctx, session, account, save);
    await observer.creations.ended(
      session,
      state.requestId!,
      Date.parse(state.requestedAt ?? state.intentAt ?? '') || Date.now(),
      ctx.signal,
    );
  };

  for (;;) {
    if (state.accountId) return state.accountId;
    if (
      !state.requestId &&
      state.intentAt &&
      (await adoptEarlier(
        `an earlier attempt set out to create ${account.name}`,
      ))
    ) {
      continue;
    }
    // A creation slot is held while a creation may be in progress at AWS, from
    // CreateAccount until AWS has ended it, and no longer: the next creation starts
    // while this one is described.
    await ctx.creationSlots.hold(
      ctx.payer.name,
      ctx.step.id,
      ctx.signal,
      createdAndEnded,
      // Only these are thrown once a creation is over; after any other error it may go on.
      error =>
        !(error instanceof TerminalError || error instanceof CreationRetryable),
    );
    const status = await observer.creations.describe(session, state.requestId!);
    if (status.State === 'SUCCEEDED' && status.AccountId) {
      await save({ ...state, accountId: status.AccountId });
      // Made with its name, email and tags, in the root: nothing to read back.
      observer.accountCreated(
        {
          Id: status.AccountId,
          Name: account.name,
          Email: account.email,
          Status: 'ACTIVE',
          JoinedMethod: 'CREATED',
        },
        account.tags,
      );
      ctx.log('info', `account ${account.name} created: ${status.AccountId}`);
      continue;
    }
    const reason = status.FailureReason ?? 'UNKNOWN';
    const message = `CreateAccount of ${account.name} <${account.email}> FAILED: ${reason}`;
    // This request is over; the intent stays, so that whatever comes next looks first.
    await save({ intentAt: state.intentAt ?? new Date().toISOString() });
    // The email is taken: by this account, if an earlier creation of it (a crash, a lost answer) made it.
    if (
      reason === 'EMAIL_ALREADY_EXISTS' &&
      (await adoptEarlier(
        `${message}, but an earlier creation got there first`,
      ))
    ) {
      continue;
    }
    if (RETRYABLE_FAILURES.has(reason)) {
      throw new CreationRetryable(`${message}; AWS asks to try again`);
    }
    throw new TerminalError(
      `${message}: ${
        FAILURE_EXPLANATIONS[reason] ??
        'see the AWS Organizations documentation'
      }`,
    );
  }
}

/** CreateAccount, with the intent saved before it and the request after it. */
async function create(
  ctx: StepContext,
  session: OrganizationSession,
  account: DesiredAccount,
  save: (state: CreationState) => Promise<void>,
): Promise<void> {
  const intentAt = new Date().toISOString();
  await save({ intentAt });
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
  const requestId = created.CreateAccountStatus!.Id!;
  await save({
    intentAt,
    requestId,
    requestedAt: created.CreateAccountStatus!.RequestedTimestamp?.toISOString(),
  });
  ctx.log(
    'info',
    `CreateAccount ${account.name} <${account.email}>: request ${requestId}`,
  );
}
