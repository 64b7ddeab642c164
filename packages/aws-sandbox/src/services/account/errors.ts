import { AwsError } from '../../errors';

/** The Account Management API's errors, by the exception names the SDK maps to its classes. */
export const accountErrors = {
  accessDenied: (callerArn: string, operation: string, accountId: string) =>
    new AwsError(
      'AccessDeniedException',
      `User: ${callerArn} is not authorized to perform: account:${operation} on resource: account ${accountId}`,
      403,
      { errorType: 'AccessDeniedException' },
    ),
  /** `field` is the request member that breaks its rule, as the SDK's `fieldList` names it. */
  validation: (message: string, field: string, fieldMessage: string) =>
    new AwsError('ValidationException', message, 400, {
      reason: 'fieldValidationFailed',
      fieldList: [{ name: field, message: fieldMessage }],
    }),
};
