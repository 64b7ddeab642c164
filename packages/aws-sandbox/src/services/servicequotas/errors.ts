import { AwsError } from '../../errors';

/** Service Quotas' errors, by the exception names the SDK maps to its classes. */
export const quotaErrors = {
  illegalArgument: (message: string) =>
    new AwsError('IllegalArgumentException', message),
  noSuchResource: (message: string) =>
    new AwsError('NoSuchResourceException', message),
  invalidToken: () =>
    new AwsError(
      'InvalidPaginationTokenException',
      'Invalid pagination token provided.',
    ),
  accessDenied: (callerArn: string, operation: string) =>
    new AwsError(
      'AccessDeniedException',
      `User: ${callerArn} is not authorized to perform: servicequotas:${operation} because no identity-based policy allows the servicequotas:${operation} action`,
    ),
};
