import { ZodIssue } from 'zod';
import { AwsError } from '../../errors';

/**
 * S3's errors, with the codes, statuses and messages S3 answers with. The extra
 * members (`BucketName`, `Key`, `ArgumentName`…) become elements of the `<Error>`
 * document, as in S3's own error responses.
 */
export const s3Errors = {
  accessDenied: () => new AwsError('AccessDenied', 'Access Denied', 403),
  noSuchBucket: (bucket: string) =>
    new AwsError('NoSuchBucket', 'The specified bucket does not exist', 404, {
      BucketName: bucket,
    }),
  noSuchKey: (key: string) =>
    new AwsError('NoSuchKey', 'The specified key does not exist.', 404, {
      Key: key,
    }),
  noSuchVersion: (key: string, versionId: string) =>
    new AwsError(
      'NoSuchVersion',
      'The specified version does not exist.',
      404,
      {
        Key: key,
        VersionId: versionId,
      },
    ),
  bucketAlreadyOwnedByYou: (bucket: string) =>
    new AwsError(
      'BucketAlreadyOwnedByYou',
      'Your previous request to create the named bucket succeeded and you already own it.',
      409,
      { BucketName: bucket },
    ),
  bucketAlreadyExists: (bucket: string) =>
    new AwsError(
      'BucketAlreadyExists',
      'The requested bucket name is not available. The bucket namespace is shared by all users of the system. Please select a different name and try again.',
      409,
      { BucketName: bucket },
    ),
  invalidArgument: (
    message: string,
    argumentName?: string,
    argumentValue?: string,
  ) =>
    new AwsError('InvalidArgument', message, 400, {
      ...(argumentName !== undefined ? { ArgumentName: argumentName } : {}),
      ...(argumentValue !== undefined ? { ArgumentValue: argumentValue } : {}),
    }),
  invalidUri: (message: string) => new AwsError('InvalidURI', message, 400),
  invalidDigest: () =>
    new AwsError(
      'InvalidDigest',
      'The Content-MD5 you specified was invalid.',
      400,
    ),
  badDigest: () =>
    new AwsError(
      'BadDigest',
      'The Content-MD5 you specified did not match what we received.',
      400,
    ),
  preconditionFailed: (condition: string) =>
    new AwsError(
      'PreconditionFailed',
      'At least one of the pre-conditions you specified did not hold',
      412,
      { Condition: condition },
    ),
  methodNotAllowed: (description: string) =>
    new AwsError(
      'MethodNotAllowed',
      `The specified method is not allowed against this resource (${description}).`,
      405,
    ),
  notImplemented: (what: string) =>
    new AwsError(
      'NotImplemented',
      `A header or parameter you provided implies functionality that is not implemented: the sandbox does not serve ${what}.`,
      501,
    ),
  internalError: () =>
    new AwsError(
      'InternalError',
      'We encountered an internal error. Please try again.',
      500,
    ),
};

/** The parameters a schema puts on a custom zod issue to say which S3 error it stands for. */
export interface S3IssueParams {
  s3Code: string;
  status?: number;
  fields?: Record<string, string>;
}

/**
 * The S3 error for input that breaks an operation's schema. Rules whose S3 error is
 * not InvalidArgument (bucket names, XML bodies, chunked bodies…) are custom issues
 * carrying their code in `params` (see `inputs.ts`); any other broken rule, such as a
 * wrong type, is an InvalidArgument.
 */
export function invalidInputError(
  message: string,
  issue: ZodIssue | undefined,
): AwsError {
  const params =
    issue?.code === 'custom'
      ? (issue.params as S3IssueParams | undefined)
      : undefined;
  if (params?.s3Code) {
    return new AwsError(
      params.s3Code,
      message,
      params.status ?? 400,
      params.fields ?? {},
    );
  }
  return s3Errors.invalidArgument(message, issue?.path.join('.') || undefined);
}
