import { AwsError } from '../errors';
import { Principal } from '../principals';

export const STS_NAMESPACE = 'https://sts.amazonaws.com/doc/2011-06-15/';

/** Answers one STS action for a caller; the result is the `<Action>Result` element. */
export function handleSts(
  action: string,
  _params: Record<string, string>,
  caller: Principal,
): Record<string, unknown> {
  switch (action) {
    case 'GetCallerIdentity':
      return {
        Arn: caller.arn,
        UserId: caller.userId,
        Account: caller.accountId,
      };
    default:
      throw new AwsError(
        'InvalidAction',
        `Could not find operation ${action} for version 2011-06-15`,
      );
  }
}
