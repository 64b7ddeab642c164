import { AwsError } from '../../errors';
import { S3OperationName, S3Outputs } from './operations';
import { xmlDocument, xmlErrorDocument } from './xml';

/** An HTTP answer: status, headers and body. */
export interface S3HttpResponse {
  status: number;
  headers: Record<string, string>;
  /** Absent for answers without a body, such as HEAD's (whose Content-Length is in `headers`). */
  body?: Buffer | string;
}

const XML_CONTENT_TYPE = 'application/xml';

/** Headers without the absent ones. */
function headers(
  values: Record<string, string | number | boolean | undefined>,
) {
  const present: Record<string, string> = {};
  for (const [name, value] of Object.entries(values)) {
    if (value !== undefined) present[name] = String(value);
  }
  return present;
}

const xmlResponse = (
  rootName: string,
  content: Record<string, unknown>,
): S3HttpResponse => ({
  status: 200,
  headers: { 'content-type': XML_CONTENT_TYPE },
  body: xmlDocument(rootName, content),
});

/** Dates in headers are RFC 7231 (IMF-fixdate); in XML, ISO 8601. */
const httpDate = (ms: number) => new Date(ms).toUTCString();
const isoDate = (ms: number) => new Date(ms).toISOString();

/**
 * S3's `encoding-type=url`: percent-encoding of every byte but the unreserved
 * characters, so that keys with characters XML 1.0 cannot carry survive the trip.
 */
function urlEncode(value: string): string {
  return encodeURIComponent(value).replace(
    /[!'()*]/g,
    c => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

/** The headers that describe an object, for GetObject and HeadObject. */
function objectHeaders(output: S3Outputs['HeadObject']) {
  return headers({
    'content-type': output.ContentType,
    'content-length': output.ContentLength,
    etag: output.ETag,
    'last-modified': httpDate(output.LastModified),
    'accept-ranges': 'bytes',
    'x-amz-version-id': output.VersionId,
    // S3 encrypts every object at rest with SSE-S3 and says so.
    'x-amz-server-side-encryption': 'AES256',
  });
}

/** How each operation's output goes on the wire. */
const responders: {
  [Name in S3OperationName]: (output: S3Outputs[Name]) => S3HttpResponse;
} = {
  CreateBucket: output => ({
    status: 200,
    headers: { location: output.Location },
  }),

  HeadBucket: output => ({
    status: 200,
    headers: {
      'x-amz-bucket-region': output.BucketRegion,
      'x-amz-access-point-alias': 'false',
    },
  }),

  ListObjectsV2: output => {
    const encode =
      output.EncodingType === 'url' ? urlEncode : (value: string) => value;
    const encodeOptional = (value: string | undefined) =>
      value === undefined ? undefined : encode(value);
    return xmlResponse('ListBucketResult', {
      Name: output.Name,
      Prefix: encode(output.Prefix),
      Delimiter: encodeOptional(output.Delimiter),
      MaxKeys: output.MaxKeys,
      EncodingType: output.EncodingType,
      KeyCount: output.KeyCount,
      IsTruncated: output.IsTruncated,
      ContinuationToken: output.ContinuationToken,
      NextContinuationToken: output.NextContinuationToken,
      StartAfter: encodeOptional(output.StartAfter),
      Contents: output.Contents.map(object => ({
        ...object,
        Key: encode(object.Key),
        LastModified: isoDate(object.LastModified),
      })),
      CommonPrefixes: output.CommonPrefixes.map(({ Prefix }) => ({
        Prefix: encode(Prefix),
      })),
    });
  },

  PutObject: output => ({
    status: 200,
    headers: headers({
      etag: output.ETag,
      'x-amz-version-id': output.VersionId,
      'x-amz-server-side-encryption': 'AES256',
    }),
  }),

  GetObject: ({ Body, ...description }) => ({
    status: 200,
    headers: objectHeaders(description),
    body: Body,
  }),

  HeadObject: output => ({ status: 200, headers: objectHeaders(output) }),

  DeleteObject: output => ({
    status: 204,
    headers: headers({
      'x-amz-delete-marker': output.DeleteMarker,
      'x-amz-version-id': output.VersionId,
    }),
  }),

  PutBucketVersioning: () => ({ status: 200, headers: {} }),

  GetBucketVersioning: output =>
    xmlResponse('VersioningConfiguration', { Status: output.Status }),
};

/** The HTTP answer to a successful call of `operation`. */
export function successResponse<Name extends S3OperationName>(
  operation: Name,
  output: S3Outputs[Name],
): S3HttpResponse {
  return responders[operation](output);
}

/** The HTTP answer to a failed call: an `<Error>` document, or only the status for HEAD, as S3 does. */
export function errorResponse(
  error: AwsError,
  requestId: string,
  head: boolean,
): S3HttpResponse {
  if (head) return { status: error.statusCode, headers: {} };
  return {
    status: error.statusCode,
    headers: { 'content-type': XML_CONTENT_TYPE },
    body: xmlErrorDocument(error, requestId),
  };
}
