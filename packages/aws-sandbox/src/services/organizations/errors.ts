import { AwsError } from '../../errors';

/** Organizations' errors, by the exception names the SDK maps to its classes. */
export const orgErrors = {
  accessDenied: () =>
    new AwsError(
      'AccessDeniedException',
      "You don't have permissions to access this resource.",
    ),
  notInUse: () =>
    new AwsError(
      'AWSOrganizationsNotInUseException',
      "Your account isn't a member of an organization.",
    ),
  constraint: (reason: string, message: string) =>
    new AwsError('ConstraintViolationException', message, 400, {
      Reason: reason,
    }),
  invalidInput: (reason: string, message: string) =>
    new AwsError('InvalidInputException', message, 400, { Reason: reason }),
  named: (code: string, message: string) => new AwsError(code, message),
};
