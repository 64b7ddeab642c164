import { createHash } from 'node:crypto';
import { ids } from '../../ids';
import { BucketRecord, ObjectRecord } from '../../state/model';
import { operation } from '../types';
import { usableBucket } from './access';
import { s3Errors } from './errors';
import { s3Inputs } from './inputs';
import { listObjects } from './listing';

/**
 * The S3 operations the sandbox serves. Their outputs use the members of the SDK's
 * output shapes; `responses.ts` puts them on the wire.
 *
 * Versioning keeps only the current version of each object: a versioned bucket hands
 * out version ids and answers with them, but an overwritten or deleted version is
 * gone, and delete markers are reported but not kept.
 */

// S3 stores objects without a content type as this.
const DEFAULT_CONTENT_TYPE = 'binary/octet-stream';
const NULL_VERSION = 'null';

/** The version id a bucket gives a new object or delete marker. */
function newVersionId(bucket: BucketRecord): string | undefined {
  if (bucket.versioning === 'Enabled') return ids.objectVersion();
  // A suspended bucket writes the "null" version; an unversioned one has no versions.
  return bucket.versioning === 'Suspended' ? NULL_VERSION : undefined;
}

/** An object's version id as S3 reports it: objects written before versioning are "null". */
function reportedVersionId(
  bucket: BucketRecord,
  object: ObjectRecord,
): string | undefined {
  return object.versionId ?? (bucket.versioning ? NULL_VERSION : undefined);
}

// Keys are arbitrary strings, "__proto__" included: objects are read as own
// properties only and written with defineProperty, never through the prototype.

/** The current object at `key`, if any. */
function objectAt(bucket: BucketRecord, key: string): ObjectRecord | undefined {
  return Object.prototype.hasOwnProperty.call(bucket.objects, key)
    ? bucket.objects[key]
    : undefined;
}

function storeObject(bucket: BucketRecord, key: string, object: ObjectRecord) {
  Object.defineProperty(bucket.objects, key, {
    value: object,
    enumerable: true,
    writable: true,
    configurable: true,
  });
}

/** The current object at `key`, when it is the version asked for. @throws NoSuchKey or NoSuchVersion */
function currentObject(
  bucket: BucketRecord,
  key: string,
  versionId?: string,
): ObjectRecord {
  const object = objectAt(bucket, key);
  if (versionId !== undefined) {
    if (!object || (object.versionId ?? NULL_VERSION) !== versionId) {
      throw s3Errors.noSuchVersion(key, versionId);
    }
    return object;
  }
  if (!object) throw s3Errors.noSuchKey(key);
  return object;
}

/** Checks a Content-MD5 header against the body. @throws InvalidDigest or BadDigest */
function checkContentMd5(header: string | undefined, body: Buffer) {
  if (header === undefined) return;
  const claimed = Buffer.from(header, 'base64');
  if (claimed.length !== 16 || claimed.toString('base64') !== header) {
    throw s3Errors.invalidDigest();
  }
  if (!claimed.equals(createHash('md5').update(body).digest())) {
    throw s3Errors.badDigest();
  }
}

const unquote = (etag: string) => etag.replace(/^"(.*)"$/, '$1');

/**
 * Conditional writes (If-None-Match: * and If-Match), with which clients such as
 * Terraform's S3 backend take locks. @throws PreconditionFailed, NoSuchKey or NotImplemented
 */
function checkWriteConditions(
  key: string,
  existing: ObjectRecord | undefined,
  conditions: { IfMatch?: string; IfNoneMatch?: string },
) {
  if (conditions.IfNoneMatch !== undefined) {
    if (conditions.IfNoneMatch !== '*') {
      throw s3Errors.notImplemented('If-None-Match values other than *');
    }
    if (existing) throw s3Errors.preconditionFailed('If-None-Match');
  }
  if (conditions.IfMatch !== undefined) {
    if (!existing) throw s3Errors.noSuchKey(key);
    if (
      conditions.IfMatch !== '*' &&
      unquote(conditions.IfMatch) !== unquote(existing.etag)
    ) {
      throw s3Errors.preconditionFailed('If-Match');
    }
  }
}

/** What GetObject and HeadObject say of an object. */
function objectDescription(bucket: BucketRecord, object: ObjectRecord) {
  return {
    ContentType: object.contentType ?? DEFAULT_CONTENT_TYPE,
    ContentLength: Buffer.byteLength(object.body, 'base64'),
    ETag: object.etag,
    LastModified: object.lastModified,
    VersionId: reportedVersionId(bucket, object),
  };
}

export const s3Operations = {
  CreateBucket: operation({
    mutating: true,
    input: s3Inputs.CreateBucket,
    handle(ctx, input) {
      const { buckets } = ctx.sandbox.state;
      const existing = buckets.get(input.Bucket);
      if (existing) {
        throw existing.ownerAccountId === ctx.caller.accountId
          ? s3Errors.bucketAlreadyOwnedByYou(input.Bucket)
          : s3Errors.bucketAlreadyExists(input.Bucket);
      }
      const constraint = input.CreateBucketConfiguration?.LocationConstraint;
      buckets.set(input.Bucket, {
        name: input.Bucket,
        ownerAccountId: ctx.caller.accountId,
        createdAt: ctx.now,
        // EU is the legacy name of eu-west-1; no constraint means us-east-1.
        region: constraint === 'EU' ? 'eu-west-1' : constraint ?? 'us-east-1',
        sharedWithAllAccounts: false,
        objects: {},
      });
      return { Location: `/${input.Bucket}` };
    },
  }),

  HeadBucket: operation({
    mutating: false,
    input: s3Inputs.HeadBucket,
    handle: (ctx, input) => ({
      BucketRegion: usableBucket(ctx, input.Bucket).region,
    }),
  }),

  ListObjectsV2: operation({
    mutating: false,
    input: s3Inputs.ListObjectsV2,
    handle(ctx, input) {
      const bucket = usableBucket(ctx, input.Bucket);
      const maxKeys = input.MaxKeys ?? 1000;
      const listing = listObjects(bucket.objects, {
        prefix: input.Prefix,
        delimiter: input.Delimiter,
        maxKeys,
        continuationToken: input.ContinuationToken,
        startAfter: input.StartAfter,
      });
      return {
        Name: bucket.name,
        Prefix: input.Prefix ?? '',
        Delimiter: input.Delimiter,
        MaxKeys: maxKeys,
        EncodingType: input.EncodingType,
        KeyCount: listing.contents.length + listing.commonPrefixes.length,
        IsTruncated: listing.isTruncated,
        ContinuationToken: input.ContinuationToken,
        NextContinuationToken: listing.nextContinuationToken,
        StartAfter: input.StartAfter,
        Contents: listing.contents.map(({ key, object }) => ({
          Key: key,
          LastModified: object.lastModified,
          ETag: object.etag,
          Size: Buffer.byteLength(object.body, 'base64'),
          StorageClass: 'STANDARD',
        })),
        CommonPrefixes: listing.commonPrefixes.map(prefix => ({
          Prefix: prefix,
        })),
      };
    },
  }),

  PutObject: operation({
    mutating: true,
    input: s3Inputs.PutObject,
    handle(ctx, input) {
      const bucket = usableBucket(ctx, input.Bucket);
      checkContentMd5(input.ContentMD5, input.Body);
      checkWriteConditions(input.Key, objectAt(bucket, input.Key), input);
      const object: ObjectRecord = {
        body: input.Body.toString('base64'),
        etag: `"${createHash('md5').update(input.Body).digest('hex')}"`,
        lastModified: ctx.now,
        contentType: input.ContentType ?? DEFAULT_CONTENT_TYPE,
        versionId: newVersionId(bucket),
      };
      storeObject(bucket, input.Key, object);
      return { ETag: object.etag, VersionId: object.versionId };
    },
  }),

  GetObject: operation({
    mutating: false,
    input: s3Inputs.GetObject,
    handle(ctx, input) {
      const bucket = usableBucket(ctx, input.Bucket);
      const object = currentObject(bucket, input.Key, input.VersionId);
      return {
        ...objectDescription(bucket, object),
        Body: Buffer.from(object.body, 'base64'),
      };
    },
  }),

  HeadObject: operation({
    mutating: false,
    input: s3Inputs.HeadObject,
    handle(ctx, input) {
      const bucket = usableBucket(ctx, input.Bucket);
      return objectDescription(
        bucket,
        currentObject(bucket, input.Key, input.VersionId),
      );
    },
  }),

  DeleteObject: operation({
    mutating: true,
    input: s3Inputs.DeleteObject,
    handle(ctx, input): { DeleteMarker?: boolean; VersionId?: string } {
      const bucket = usableBucket(ctx, input.Bucket);
      if (input.VersionId !== undefined) {
        // Deleting a version removes it for good; a version that is not there is no error.
        const existing = objectAt(bucket, input.Key);
        if (
          existing &&
          (existing.versionId ?? NULL_VERSION) === input.VersionId
        ) {
          delete bucket.objects[input.Key];
        }
        return { VersionId: input.VersionId };
      }
      // Deleting a key is idempotent: 204 whether or not it was there. A versioned
      // bucket answers with the delete marker it would have written.
      delete bucket.objects[input.Key];
      const markerVersion = newVersionId(bucket);
      return markerVersion === undefined
        ? {}
        : { DeleteMarker: true, VersionId: markerVersion };
    },
  }),

  PutBucketVersioning: operation({
    mutating: true,
    input: s3Inputs.PutBucketVersioning,
    handle(ctx, input) {
      const bucket = usableBucket(ctx, input.Bucket);
      const { Status, MfaDelete } = input.VersioningConfiguration;
      if (MfaDelete === 'Enabled') throw s3Errors.notImplemented('MFA delete');
      // A configuration without Status leaves versioning as it is, as in S3.
      if (Status) bucket.versioning = Status;
      return {};
    },
  }),

  GetBucketVersioning: operation({
    mutating: false,
    input: s3Inputs.GetBucketVersioning,
    handle: (ctx, input) => ({
      Status: usableBucket(ctx, input.Bucket).versioning,
    }),
  }),
};

export type S3OperationName = keyof typeof s3Operations;

/** Each operation's output, as its handler returns it. */
export type S3Outputs = {
  [Name in S3OperationName]: Awaited<
    ReturnType<(typeof s3Operations)[Name]['handle']>
  >;
};
