import { z } from 'zod';
import { AwsError } from '../../errors';
import { AccountRecord } from '../../state/model';
import { CallContext, operation, ServiceDefinition } from '../types';
import { accountErrors } from './errors';

/** The restJson1 routes of the Account Management API: `POST <path>` runs the operation. */
export const ACCOUNT_ROUTES: Record<string, string> = {
  '/putAccountName': 'PutAccountName',
  '/getAccountInformation': 'GetAccountInformation',
};

const accountId = z.string().regex(/^\d{12}$/, 'must be 12 digits');

/**
 * The account a call is about. Without an AccountId, the caller's own. With one, the caller
 * must be its organization's management account and the account one of its members; the
 * management account may not name itself, as AWS says it must call without AccountId.
 * Trusted access for Account Management is taken to be enabled.
 * @throws AccessDeniedException otherwise, unknown accounts included, as AWS does not say which.
 */
function targetAccount(
  ctx: CallContext,
  operationName: string,
  requested: string | undefined,
): AccountRecord {
  const { state } = ctx.sandbox;
  const caller = state.accounts.get(ctx.caller.accountId)!;
  if (requested === undefined) return caller;
  const organization = caller.organizationId
    ? state.organizations.get(caller.organizationId)
    : undefined;
  const target = state.accounts.get(requested);
  if (
    !organization ||
    organization.managementAccountId !== caller.id ||
    !target ||
    target.id === caller.id ||
    target.organizationId !== organization.id
  ) {
    throw accountErrors.accessDenied(ctx.caller.arn, operationName, requested);
  }
  return target;
}

/** AWS Account Management (service `account`), in the restJson1 protocol. */
export const accountService: ServiceDefinition = {
  name: 'account',
  throttled: false,
  operations: {
    GetAccountInformation: operation({
      mutating: false,
      input: z.object({ AccountId: accountId.optional() }),
      handle(ctx, input) {
        const account = targetAccount(
          ctx,
          'GetAccountInformation',
          input.AccountId,
        );
        return {
          AccountId: account.id,
          AccountName: account.name,
          // The API model marks this timestamp date-time: an RFC 3339 string.
          AccountCreatedDate: new Date(account.joinedAt).toISOString(),
          AccountState: account.status,
        };
      },
    }),
    PutAccountName: operation({
      mutating: true,
      input: z.object({
        AccountId: accountId.optional(),
        AccountName: z
          .string()
          .min(1, 'must be 1 to 50 characters')
          .max(50, 'must be 1 to 50 characters')
          .regex(/^[ -;=?-~]+$/, 'must be characters of [ -;=?-~]'),
      }),
      handle(ctx, input) {
        const account = targetAccount(ctx, 'PutAccountName', input.AccountId);
        // PutAccountName answers only AccessDenied, throttling, validation and internal
        // errors; a closed account cannot be changed, so it is refused as not accessible.
        if (account.status !== 'ACTIVE') {
          throw accountErrors.accessDenied(
            ctx.caller.arn,
            'PutAccountName',
            account.id,
          );
        }
        account.name = input.AccountName;
        return {};
      },
    }),
  },
  unknownOperation: name =>
    new AwsError(
      'UnknownOperationException',
      `The Account Management API has no operation at ${name}`,
      404,
    ),
  invalidInput: (message, issue) =>
    accountErrors.validation(
      message,
      issue?.path.join('.') || 'body',
      issue?.message ?? message,
    ),
  unknownCredentials: () =>
    new AwsError(
      'UnrecognizedClientException',
      'The security token included in the request is invalid.',
      403,
    ),
  expiredCredentials: () =>
    new AwsError(
      'ExpiredTokenException',
      'The security token included in the request is expired',
      403,
    ),
  throttledError: () =>
    new AwsError('TooManyRequestsException', 'Rate exceeded', 429),
};
