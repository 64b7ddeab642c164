import { AwsError } from '../../errors';
import { ServiceDefinition } from '../types';
import { invalidInputError, s3Errors } from './errors';
import { s3Operations } from './operations';

/** Amazon S3, in the REST/XML protocol with path-style addressing (see `http.ts`). */
export const s3Service: ServiceDefinition = {
  name: 's3',
  // The sandbox throttles per organization, as Organizations does; S3 has no such limit.
  throttled: false,
  operations: s3Operations,
  // `routing.ts` names S3 operations the sandbox does not serve (NotImplemented) and
  // describes method and resource pairs that are no S3 operation, such as
  // `POST object` (MethodNotAllowed).
  unknownOperation: operation =>
    /^[A-Z][A-Za-z0-9]*$/.test(operation)
      ? s3Errors.notImplemented(operation)
      : s3Errors.methodNotAllowed(operation),
  invalidInput: invalidInputError,
  unknownCredentials: () =>
    new AwsError(
      'InvalidAccessKeyId',
      'The AWS Access Key Id you provided does not exist in our records.',
      403,
    ),
  expiredCredentials: () =>
    new AwsError('ExpiredToken', 'The provided token has expired.', 400),
  throttledError: () =>
    new AwsError('SlowDown', 'Please reduce your request rate.', 503),
};
