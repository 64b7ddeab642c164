import { AwsError } from '../../errors';

/**
 * IAM's errors, by the Query-protocol codes the SDK maps to its exception classes
 * (`NoSuchEntity` becomes `NoSuchEntityException`), with the status codes the API
 * reference gives them.
 */
export const iamErrors = {
  noSuchEntity: (message: string) => new AwsError('NoSuchEntity', message, 404),
  entityAlreadyExists: (message: string) =>
    new AwsError('EntityAlreadyExists', message, 409),
  malformedPolicyDocument: (message: string) =>
    new AwsError('MalformedPolicyDocument', message, 400),
  limitExceeded: (message: string) =>
    new AwsError('LimitExceeded', message, 409),
  deleteConflict: (message: string) =>
    new AwsError('DeleteConflict', message, 409),
  invalidInput: (message: string) => new AwsError('InvalidInput', message, 400),
  /** Input that breaks the API model's constraints: a missing member, a bad length or pattern. */
  validation: (message: string) =>
    new AwsError('ValidationError', message, 400),
  /** What IAM answers a change to a policy the caller's account does not own, such as an AWS managed one. */
  accessDenied: (message: string) => new AwsError('AccessDenied', message, 403),

  noSuchRole: (roleName: string) =>
    iamErrors.noSuchEntity(`The role with name ${roleName} cannot be found.`),
  noSuchPolicy: (policyArn: string) =>
    iamErrors.noSuchEntity(`Policy ${policyArn} was not found.`),
  noSuchRolePolicy: (policyName: string) =>
    iamErrors.noSuchEntity(
      `The role policy with name ${policyName} cannot be found.`,
    ),
  noSuchPolicyVersion: (policyArn: string, versionId: string) =>
    iamErrors.noSuchEntity(
      `Policy ${policyArn} version ${versionId} does not exist or is not attachable.`,
    ),
  /** A managed policy that cannot be attached: a customer managed one the account does not have. */
  notAttachable: (policyArn: string) =>
    iamErrors.noSuchEntity(
      `Policy ${policyArn} does not exist or is not attachable.`,
    ),
  /** The same, for a policy asked for as a permissions boundary. */
  noSuchBoundary: (policyArn: string) =>
    iamErrors.noSuchEntity(
      `Scope ARN: ${policyArn} does not exist or is not attachable.`,
    ),
  invalidArn: (arn: string) =>
    iamErrors.invalidInput(`ARN ${arn} is not valid.`),
};
