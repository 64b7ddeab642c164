import { ObjectRecord } from '../../state/model';
import { s3Errors } from './errors';

/**
 * Where a listing resumes: after the key or rolled-up common prefix `after`.
 * S3 pages by key rather than by offset, so that a page stays right when objects
 * are written between calls; the token carries the position, opaque to clients.
 */
interface Position {
  after: string;
  /** Whether `after` is a common prefix, whose keys were all rolled into it. */
  rolledUp: boolean;
}

export interface ListRequest {
  prefix?: string;
  delimiter?: string;
  maxKeys: number;
  continuationToken?: string;
  startAfter?: string;
}

export interface Listing {
  contents: Array<{ key: string; object: ObjectRecord }>;
  commonPrefixes: string[];
  isTruncated: boolean;
  nextContinuationToken?: string;
}

/** S3 lists keys in UTF-8 binary order, which differs from JavaScript's UTF-16 order. */
export function compareUtf8(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

function encodeToken(position: Position): string {
  return Buffer.from(
    JSON.stringify({ a: position.after, r: position.rolledUp }),
  ).toString('base64url');
}

function decodeToken(token: string): Position {
  try {
    const decoded = JSON.parse(
      Buffer.from(token, 'base64url').toString('utf8'),
    );
    if (typeof decoded.a === 'string' && typeof decoded.r === 'boolean') {
      return { after: decoded.a, rolledUp: decoded.r };
    }
  } catch {
    // Not one of the sandbox's tokens: refused below.
  }
  throw s3Errors.invalidArgument(
    'The continuation token provided is incorrect',
    'continuation-token',
    token,
  );
}

/**
 * One page of a bucket's objects, as ListObjectsV2 gives it: the keys under `prefix`
 * in UTF-8 order, those with `delimiter` after the prefix rolled up into common
 * prefixes, keys and common prefixes counting alike towards `maxKeys`.
 * A continuation token takes precedence over `startAfter`.
 *
 * @throws InvalidArgument for a continuation token the sandbox did not issue
 */
export function listObjects(
  objects: Record<string, ObjectRecord>,
  request: ListRequest,
): Listing {
  const prefix = request.prefix ?? '';
  const { delimiter, maxKeys } = request;
  let start: Position | undefined;
  if (request.continuationToken !== undefined) {
    start = decodeToken(request.continuationToken);
  } else if (request.startAfter !== undefined) {
    start = { after: request.startAfter, rolledUp: false };
  }

  const listing: Listing = {
    contents: [],
    commonPrefixes: [],
    isTruncated: false,
  };
  let last: Position | undefined;
  const keys = Object.keys(objects)
    .filter(key => key.startsWith(prefix))
    .sort(compareUtf8);
  for (const key of keys) {
    if (
      start &&
      (compareUtf8(key, start.after) <= 0 ||
        (start.rolledUp && key.startsWith(start.after)))
    ) {
      continue;
    }
    const cut = delimiter ? key.indexOf(delimiter, prefix.length) : -1;
    const commonPrefix =
      cut >= 0 ? key.slice(0, cut + delimiter!.length) : undefined;
    // Keys sharing a common prefix are adjacent in order: count the prefix once.
    if (
      commonPrefix !== undefined &&
      last?.rolledUp &&
      last.after === commonPrefix
    )
      continue;
    if (listing.contents.length + listing.commonPrefixes.length === maxKeys) {
      listing.isTruncated = true;
      listing.nextContinuationToken = encodeToken(last!);
      break;
    }
    if (commonPrefix !== undefined) {
      listing.commonPrefixes.push(commonPrefix);
      last = { after: commonPrefix, rolledUp: true };
    } else {
      listing.contents.push({ key, object: objects[key] });
      last = { after: key, rolledUp: false };
    }
  }
  return listing;
}
