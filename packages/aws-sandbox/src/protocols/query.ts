import { XMLBuilder } from 'fast-xml-parser';
import { AwsError } from '../errors';

const xml = new XMLBuilder({
  ignoreAttributes: false,
  suppressEmptyNode: false,
});

/**
 * Parses a Query-protocol body into nested input: `Tags.member.1.Key=a` becomes
 * `{ Tags: [{ Key: 'a' }] }`, as the service models' list and structure members say.
 */
export function parseQueryBody(body: string): Record<string, unknown> {
  const root: Record<string, unknown> = {};
  for (const [key, value] of new URLSearchParams(body)) {
    const path = key.split('.');
    let node: any = root;
    for (let i = 0; i < path.length; i++) {
      const segment = path[i];
      const last = i === path.length - 1;
      if (segment === 'member' && /^\d+$/.test(path[i + 1] ?? '')) {
        continue;
      }
      const isIndex = /^\d+$/.test(segment) && path[i - 1] === 'member';
      const nextIsList = path[i + 1] === 'member';
      const slot = isIndex ? Number(segment) - 1 : segment;
      if (last) {
        node[slot] = value;
      } else {
        node[slot] ??= nextIsList ? [] : {};
        node = node[slot];
      }
    }
  }
  return root;
}

/** A list member of a Query-protocol result: repeated `<member>` elements. */
export function xmlList<T>(items: T[]): { member: T[] } | '' {
  return items.length > 0 ? { member: items } : '';
}

/** A Query-protocol success document, as STS and IAM answer. */
export function queryResponse(
  action: string,
  namespace: string,
  result: unknown,
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
