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

  policyNotFound: (policyId: string) =>
    new AwsError(
      'PolicyNotFoundException',
      `We can't find a policy with the PolicyId ${policyId}.`,
    ),
  targetNotFound: (targetId: string) =>
    new AwsError(
      'TargetNotFoundException',
      `We can't find a root, OU, account, or policy with the TargetId ${targetId}.`,
    ),
  rootNotFound: (rootId: string) =>
    new AwsError(
      'RootNotFoundException',
      `We can't find a root with the RootId ${rootId}.`,
    ),
  policyTypeNotEnabled: (type: string) =>
    new AwsError(
      'PolicyTypeNotEnabledException',
      `The specified policy type ${type} isn't currently enabled in this root. You can't attach policies of the specified type to entities in a root until you enable that type in the root.`,
    ),
  malformedPolicyDocument: (type: string, detail: string) =>
    new AwsError(
      'MalformedPolicyDocumentException',
      `The provided policy document doesn't meet the requirements of the specified policy type ${type}: ${detail}.`,
    ),
  /** A change to a policy that AWS manages, such as FullAWSAccess. */
  immutablePolicy: (policyId: string) =>
    new AwsError(
      'InvalidInputException',
      `You specified a policy that is managed by AWS and can't be modified: ${policyId}.`,
      400,
      { Reason: 'IMMUTABLE_POLICY' },
    ),
};
