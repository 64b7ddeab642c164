import { AwsError } from '../errors';

/**
 * The errors every call of a Query-protocol service (STS, IAM) can get before its
 * handler runs, as those endpoints word them.
 */
export function queryServiceErrors(apiVersion: string) {
  return {
    unknownOperation: (operation: string) =>
      new AwsError(
        'InvalidAction',
        `Could not find operation ${operation} for version ${apiVersion}`,
      ),
    unknownCredentials: () =>
      new AwsError(
        'InvalidClientTokenId',
        'The security token included in the request is invalid.',
        403,
      ),
    expiredCredentials: () =>
      new AwsError(
        'ExpiredToken',
        'The security token included in the request is expired',
        403,
      ),
    throttledError: () => new AwsError('Throttling', 'Rate exceeded'),
  };
}
