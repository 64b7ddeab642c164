import { AwsError } from '../errors';

/** Parses a JSON 1.1 body. @throws AwsError SerializationException for anything but a JSON object. */
export function parseJsonBody(body: string): Record<string, unknown> {
  if (body.trim() === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    throw new AwsError(
      'SerializationException',
      'The request body is not valid JSON',
    );
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new AwsError(
      'SerializationException',
      'The request body must be a JSON object',
    );
  }
  return parsed as Record<string, unknown>;
}

/** A JSON 1.1 error body: `__type` names the error class the SDK throws. */
export function jsonError(error: AwsError): string {
  return JSON.stringify({
    __type: error.code,
    Message: error.message,
    ...error.fields,
  });
}

/** Timestamps in JSON 1.1 are epoch seconds. */
export const epochSeconds = (ms: number | undefined) =>
  ms === undefined ? undefined : ms / 1000;
