import { AwsError } from '../errors';

/**
 * A restJson1 error body (the Account Management API): the SDK takes the error's name from the
 * `x-amzn-errortype` header and its members, `message` in lower case among them, from the body.
 */
export function restJsonError(error: AwsError): string {
  return JSON.stringify({ message: error.message, ...error.fields });
}
