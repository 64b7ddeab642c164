import { z } from 'zod';
import { bucketNameProblem } from './bucketNames';
import { ChunkedBodyError, decodeAwsChunked, isAwsChunked } from './chunked';
import { S3IssueParams } from './errors';
import { parseXmlDocument } from './xml';

/**
 * The schemas of the S3 operations' inputs, as `routing.ts` gathers them from the
 * request: strings from the path, query and headers, the body as bytes or XML text.
 * They do the parsing too (XML bodies, aws-chunked bodies, numbers), so that every
 * malformed request is refused inside the sandbox's pipeline, logged as a call.
 * A rule whose S3 error is not InvalidArgument says which error in its issue's params.
 */

/** Reports an input problem as the S3 error `s3Code`. */
function fail(
  ctx: z.RefinementCtx,
  s3Code: string,
  message: string,
  fields?: Record<string, string>,
): typeof z.NEVER {
  const params: S3IssueParams = { s3Code, fields };
  ctx.addIssue({ code: z.ZodIssueCode.custom, message, params });
  return z.NEVER;
}

const bucket = z.string().superRefine((name, ctx) => {
  const problem = bucketNameProblem(name);
  if (problem) fail(ctx, 'InvalidBucketName', problem, { BucketName: name });
});

const MAX_KEY_BYTES = 1024;

const key = z
  .string()
  .min(1)
  .superRefine((name, ctx) => {
    const size = Buffer.byteLength(name);
    if (size > MAX_KEY_BYTES) {
      fail(
        ctx,
        'KeyTooLongError',
        `keys must be at most ${MAX_KEY_BYTES} bytes of UTF-8, not ${size}`,
        {
          Size: String(size),
          MaxSizeAllowed: String(MAX_KEY_BYTES),
        },
      );
    }
  });

const versionId = z.string().min(1).optional();

/** An optional string parameter, where an empty value (`?prefix=`) means absent, as in S3. */
const optionalText = z
  .string()
  .optional()
  .transform(value => (value === '' ? undefined : value));

/** A whole number from a query parameter, within [min, max]; InvalidArgument naming `parameter` otherwise. */
const wholeNumber = (parameter: string, min: number, max: number) =>
  z.string().transform((text, ctx) => {
    const value = /^\d{1,10}$/.test(text) ? Number(text) : NaN;
    if (!(value >= min && value <= max)) {
      return fail(
        ctx,
        'InvalidArgument',
        `${parameter} must be a whole number from ${min} to ${max}, not "${text}"`,
        {
          ArgumentName: parameter,
          ArgumentValue: text,
        },
      );
    }
    return value;
  });

/**
 * An XML body whose root element is `rootName` and whose content follows `content`.
 * A document that is not well formed or breaks the schema is MalformedXML, as S3
 * answers; a content rule that names another S3 error keeps it.
 */
function xmlBody<T extends z.ZodTypeAny>(rootName: string, content: T) {
  return z.string().transform((text, ctx): z.output<T> => {
    let document: Record<string, unknown>;
    try {
      document = parseXmlDocument(text, rootName);
    } catch (error) {
      return fail(ctx, 'MalformedXML', (error as Error).message);
    }
    const result = content.safeParse(document);
    if (result.success) return result.data;
    for (const issue of result.error.issues) {
      const params =
        issue.code === 'custom' &&
        (issue.params as S3IssueParams | undefined)?.s3Code
          ? issue.params
          : { s3Code: 'MalformedXML' };
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: issue.path,
        message: issue.message,
        params,
      });
    }
    return z.NEVER;
  });
}

// us-east-1 is the default location: S3 refuses it as an explicit constraint.
const locationConstraint = z.string().superRefine((region, ctx) => {
  if (region === 'us-east-1' || !/^([a-z]{2}(-[a-z]+)+-\d|EU)$/.test(region)) {
    fail(
      ctx,
      'InvalidLocationConstraint',
      `${region} is not a valid location constraint`,
      {
        LocationConstraint: region,
      },
    );
  }
});

const createBucketConfiguration = xmlBody(
  'CreateBucketConfiguration',
  z.object({ LocationConstraint: locationConstraint.optional() }).strict(),
);

const versioningConfiguration = xmlBody(
  'VersioningConfiguration',
  z
    .object({
      Status: z.enum(['Enabled', 'Suspended']).optional(),
      MfaDelete: z.enum(['Enabled', 'Disabled']).optional(),
    })
    .strict(),
);

/**
 * A PutObject body with the headers that say how it is framed: plain bytes, or
 * aws-chunked (decoded here to the object's bytes, checked against
 * x-amz-decoded-content-length when sent).
 */
const objectBody = z
  .object({
    bytes: z.instanceof(Buffer),
    contentEncoding: z.string().optional(),
    contentSha256: z.string().optional(),
    decodedContentLength: z.string().optional(),
  })
  .transform((raw, ctx) => {
    if (!isAwsChunked(raw.contentEncoding, raw.contentSha256)) return raw.bytes;
    let payload: Buffer;
    try {
      payload = decodeAwsChunked(raw.bytes).payload;
    } catch (error) {
      if (!(error instanceof ChunkedBodyError)) throw error;
      return fail(
        ctx,
        'IncompleteBody',
        `the aws-chunked body is malformed: ${error.message}`,
      );
    }
    if (
      raw.decodedContentLength !== undefined &&
      Number(raw.decodedContentLength) !== payload.length
    ) {
      return fail(
        ctx,
        'IncompleteBody',
        `x-amz-decoded-content-length is ${raw.decodedContentLength} but the chunks hold ${payload.length} bytes`,
      );
    }
    return payload;
  });

export const s3Inputs = {
  CreateBucket: z.object({
    Bucket: bucket,
    CreateBucketConfiguration: createBucketConfiguration.optional(),
  }),
  HeadBucket: z.object({ Bucket: bucket }),
  ListObjectsV2: z.object({
    Bucket: bucket,
    Prefix: optionalText,
    Delimiter: optionalText,
    MaxKeys: wholeNumber('max-keys', 1, 1000).optional(),
    ContinuationToken: optionalText,
    StartAfter: optionalText,
    EncodingType: z
      .string()
      .optional()
      .superRefine((value, ctx) => {
        if (value !== undefined && value !== 'url') {
          fail(
            ctx,
            'InvalidArgument',
            `encoding-type must be url, not "${value}"`,
            {
              ArgumentName: 'encoding-type',
              ArgumentValue: value,
            },
          );
        }
      }),
  }),
  PutObject: z.object({
    Bucket: bucket,
    Key: key,
    Body: objectBody,
    ContentType: optionalText,
    ContentMD5: optionalText,
    IfMatch: optionalText,
    IfNoneMatch: optionalText,
  }),
  GetObject: z.object({ Bucket: bucket, Key: key, VersionId: versionId }),
  HeadObject: z.object({ Bucket: bucket, Key: key, VersionId: versionId }),
  DeleteObject: z.object({ Bucket: bucket, Key: key, VersionId: versionId }),
  PutBucketVersioning: z.object({
    Bucket: bucket,
    VersioningConfiguration: versioningConfiguration,
  }),
  GetBucketVersioning: z.object({ Bucket: bucket }),
};
