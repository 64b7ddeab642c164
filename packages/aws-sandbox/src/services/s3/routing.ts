import { IncomingHttpHeaders } from 'node:http';
import { s3Errors } from './errors';
import { S3OperationName } from './operations';

/** The parts of an HTTP request that say which S3 operation it is and with what input. */
export interface S3Request {
  method: string;
  /** The path as sent, still percent-encoded. */
  rawPath: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

export interface S3Route {
  /** The S3 operation's name, or a description such as `POST object` when S3 has none. */
  operation: string;
  /** The operation's raw input, for its schema to check. */
  input: Record<string, unknown>;
}

type Method = 'GET' | 'HEAD' | 'PUT' | 'POST' | 'DELETE';
type MethodTable = Partial<Record<Method, string>>;

/** Get/Put/Delete of a configuration, the usual trio of a subresource. */
const crud = (name: string): MethodTable => ({
  GET: `Get${name}`,
  PUT: `Put${name}`,
  DELETE: `Delete${name}`,
});

// S3 tells operations apart by method and subresource (a query parameter). The
// sandbox names the operations it does not serve too, so that such a request is
// NotImplemented rather than mistaken for another operation (PUT /bucket?policy is
// not a CreateBucket). Unknown query parameters are ignored, as S3 ignores them.
const BUCKET_SUBRESOURCES: Record<string, MethodTable> = {
  versioning: { GET: 'GetBucketVersioning', PUT: 'PutBucketVersioning' },
  acl: { GET: 'GetBucketAcl', PUT: 'PutBucketAcl' },
  policy: crud('BucketPolicy'),
  policyStatus: { GET: 'GetBucketPolicyStatus' },
  tagging: crud('BucketTagging'),
  cors: crud('BucketCors'),
  lifecycle: crud('BucketLifecycleConfiguration'),
  location: { GET: 'GetBucketLocation' },
  encryption: crud('BucketEncryption'),
  publicAccessBlock: crud('PublicAccessBlock'),
  ownershipControls: crud('BucketOwnershipControls'),
  website: crud('BucketWebsite'),
  logging: { GET: 'GetBucketLogging', PUT: 'PutBucketLogging' },
  notification: {
    GET: 'GetBucketNotificationConfiguration',
    PUT: 'PutBucketNotificationConfiguration',
  },
  replication: crud('BucketReplication'),
  accelerate: {
    GET: 'GetBucketAccelerateConfiguration',
    PUT: 'PutBucketAccelerateConfiguration',
  },
  requestPayment: {
    GET: 'GetBucketRequestPayment',
    PUT: 'PutBucketRequestPayment',
  },
  'object-lock': {
    GET: 'GetObjectLockConfiguration',
    PUT: 'PutObjectLockConfiguration',
  },
  analytics: crud('BucketAnalyticsConfiguration'),
  metrics: crud('BucketMetricsConfiguration'),
  inventory: crud('BucketInventoryConfiguration'),
  'intelligent-tiering': crud('BucketIntelligentTieringConfiguration'),
  versions: { GET: 'ListObjectVersions' },
  uploads: { GET: 'ListMultipartUploads' },
  delete: { POST: 'DeleteObjects' },
};

const OBJECT_SUBRESOURCES: Record<string, MethodTable> = {
  acl: { GET: 'GetObjectAcl', PUT: 'PutObjectAcl' },
  tagging: crud('ObjectTagging'),
  uploads: { POST: 'CreateMultipartUpload' },
  uploadId: {
    GET: 'ListParts',
    PUT: 'UploadPart',
    POST: 'CompleteMultipartUpload',
    DELETE: 'AbortMultipartUpload',
  },
  retention: { GET: 'GetObjectRetention', PUT: 'PutObjectRetention' },
  'legal-hold': { GET: 'GetObjectLegalHold', PUT: 'PutObjectLegalHold' },
  attributes: { GET: 'GetObjectAttributes' },
  restore: { POST: 'RestoreObject' },
  select: { POST: 'SelectObjectContent' },
  torrent: { GET: 'GetObjectTorrent' },
};

const SERVICE_OPERATIONS: MethodTable = { GET: 'ListBuckets' };

/** The operation of a request without subresource. */
function plainOperation(
  level: 'bucket' | 'object',
  request: S3Request,
): MethodTable {
  if (level === 'bucket') {
    return {
      PUT: 'CreateBucket',
      HEAD: 'HeadBucket',
      GET:
        request.query.get('list-type') === '2'
          ? 'ListObjectsV2'
          : 'ListObjects',
      DELETE: 'DeleteBucket',
    };
  }
  return {
    PUT: request.headers['x-amz-copy-source'] ? 'CopyObject' : 'PutObject',
    GET: 'GetObject',
    HEAD: 'HeadObject',
    DELETE: 'DeleteObject',
  };
}

function decodePathSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw s3Errors.invalidUri(
      `Couldn't parse the specified URI: ${segment} is not percent-encoded UTF-8.`,
    );
  }
}

/**
 * The bucket and key of a path-style path, `/bucket` or `/bucket/key`. The key is
 * everything after the bucket's slash, decoded, so keys keep their slashes, dots
 * and empty segments; `/bucket/` is the bucket.
 */
function pathResource(rawPath: string): { bucket?: string; key?: string } {
  const path = rawPath.replace(/^\//, '');
  if (path === '') return {};
  const slash = path.indexOf('/');
  if (slash < 0) return { bucket: decodePathSegment(path) };
  const key = decodePathSegment(path.slice(slash + 1));
  return {
    bucket: decodePathSegment(path.slice(0, slash)),
    key: key === '' ? undefined : key,
  };
}

const header = (request: S3Request, name: string): string | undefined => {
  const value = request.headers[name];
  return Array.isArray(value) ? value.join(',') : value;
};

const query = (request: S3Request, name: string): string | undefined =>
  request.query.get(name) ?? undefined;

/** The raw input of each served operation, from the request and its path's bucket and key. */
const INPUTS: Record<
  S3OperationName,
  (request: S3Request, bucket: string, key: string) => Record<string, unknown>
> = {
  CreateBucket: (request, bucket) => ({
    Bucket: bucket,
    CreateBucketConfiguration:
      request.body.length > 0 ? request.body.toString('utf8') : undefined,
  }),
  HeadBucket: (_request, bucket) => ({ Bucket: bucket }),
  ListObjectsV2: (request, bucket) => ({
    Bucket: bucket,
    Prefix: query(request, 'prefix'),
    Delimiter: query(request, 'delimiter'),
    MaxKeys: query(request, 'max-keys'),
    ContinuationToken: query(request, 'continuation-token'),
    StartAfter: query(request, 'start-after'),
    EncodingType: query(request, 'encoding-type'),
  }),
  PutObject: (request, bucket, key) => ({
    Bucket: bucket,
    Key: key,
    Body: {
      bytes: request.body,
      contentEncoding: header(request, 'content-encoding'),
      contentSha256: header(request, 'x-amz-content-sha256'),
      decodedContentLength: header(request, 'x-amz-decoded-content-length'),
    },
    ContentType: header(request, 'content-type'),
    ContentMD5: header(request, 'content-md5'),
    IfMatch: header(request, 'if-match'),
    IfNoneMatch: header(request, 'if-none-match'),
  }),
  GetObject: (request, bucket, key) => ({
    Bucket: bucket,
    Key: key,
    VersionId: query(request, 'versionId'),
  }),
  HeadObject: (request, bucket, key) => ({
    Bucket: bucket,
    Key: key,
    VersionId: query(request, 'versionId'),
  }),
  DeleteObject: (request, bucket, key) => ({
    Bucket: bucket,
    Key: key,
    VersionId: query(request, 'versionId'),
  }),
  PutBucketVersioning: (request, bucket) => ({
    Bucket: bucket,
    VersioningConfiguration: request.body.toString('utf8'),
  }),
  GetBucketVersioning: (_request, bucket) => ({ Bucket: bucket }),
};

const isServed = (operation: string): operation is S3OperationName =>
  Object.prototype.hasOwnProperty.call(INPUTS, operation);

/**
 * Maps a path-style S3 request to its operation and raw input. Operations the
 * sandbox does not serve get an empty input: the pipeline refuses them by name.
 * @throws InvalidURI for a path that is not percent-encoded UTF-8
 */
export function routeRequest(request: S3Request): S3Route {
  const { bucket, key } = pathResource(request.rawPath);
  const method = request.method.toUpperCase() as Method;
  if (bucket === undefined) {
    return {
      operation: SERVICE_OPERATIONS[method] ?? `${method} service`,
      input: {},
    };
  }
  const level = key === undefined ? 'bucket' : 'object';
  const subresources =
    level === 'bucket' ? BUCKET_SUBRESOURCES : OBJECT_SUBRESOURCES;
  const subresource = [...request.query.keys()].find(name =>
    Object.prototype.hasOwnProperty.call(subresources, name),
  );
  const table = subresource
    ? subresources[subresource]
    : plainOperation(level, request);
  const resource = subresource ? `${level}?${subresource}` : level;
  const operation = table[method] ?? `${method} ${resource}`;
  return {
    operation,
    input: isServed(operation)
      ? INPUTS[operation](request, bucket, key ?? '')
      : {},
  };
}
