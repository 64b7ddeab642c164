import { XMLBuilder } from 'fast-xml-parser';
import { AwsError } from '../errors';

const xml = new XMLBuilder({
  ignoreAttributes: false,
  suppressEmptyNode: true,
});

/** Parses a Query-protocol body (`Action=...&Version=...`). */
export function parseQueryBody(body: string): Record<string, string> {
  return Object.fromEntries(new URLSearchParams(body));
}

/** A Query-protocol success document, as STS and IAM answer. */
export function queryResponse(
  action: string,
  namespace: string,
  result: Record<string, unknown> | undefined,
  requestId: string,
): string {
  return xml.build({
    [`${action}Response`]: {
      '@_xmlns': namespace,
      ...(result ? { [`${action}Result`]: result } : {}),
      ResponseMetadata: { RequestId: requestId },
    },
  });
}

/** A Query-protocol error document. */
export function queryError(
  error: AwsError,
  namespace: string,
  requestId: string,
): string {
  return xml.build({
    ErrorResponse: {
      '@_xmlns': namespace,
      Error: { Type: error.type, Code: error.code, Message: error.message },
      RequestId: requestId,
    },
  });
}
