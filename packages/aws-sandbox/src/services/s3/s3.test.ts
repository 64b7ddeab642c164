import {
  BucketAlreadyExists,
  BucketAlreadyOwnedByYou,
  CreateBucketCommand,
  DeleteObjectCommand,
  GetBucketVersioningCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  ListBucketsCommand,
  ListObjectsV2Command,
  ListObjectsV2CommandOutput,
  NoSuchBucket,
  NoSuchKey,
  paginateListObjectsV2,
  PutBucketVersioningCommand,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { parseSeed } from '../../seed/loadSeed';
import { RunningSandbox, startSandbox } from '../../server';

const CENTRAL = {
  accessKeyId: 'AKIASANDBOXTEST00001',
  secretAccessKey: 'test-secret-access-key-1',
};
const OTHER = {
  accessKeyId: 'AKIASANDBOXTEST00002',
  secretAccessKey: 'test-secret-access-key-2',
};

const seed = parseSeed({
  accounts: [
    {
      id: '100000000001',
      name: 'central',
      email: 'central@example.com',
      users: [{ name: 'pipeline', ...CENTRAL }],
      buckets: [
        { name: 'state-bucket', versioning: 'Enabled' },
        { name: 'shared-bucket', sharedWithAllAccounts: true },
      ],
    },
    {
      id: '100000000002',
      name: 'other',
      email: 'other@example.com',
      users: [{ name: 'someone', ...OTHER }],
    },
  ],
});

interface Credentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

/** A path-style S3 client of the sandbox at `endpoint`, without retries. */
const s3Client = (endpoint: string, credentials: Credentials) =>
  new S3Client({
    endpoint,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials,
    maxAttempts: 1,
  });

/** An Authorization header whose credential scope names `accessKeyId`; the sandbox checks no signatures. */
const authorization = (accessKeyId: string) =>
  `AWS4-HMAC-SHA256 Credential=${accessKeyId}/20250101/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=${'0'.repeat(
    64,
  )}`;

async function failure(promise: Promise<unknown>): Promise<S3ServiceException> {
  try {
    await promise;
  } catch (error) {
    return error as S3ServiceException;
  }
  throw new Error('expected the call to fail');
}

const md5Etag = (body: Buffer | string) =>
  `"${createHash('md5').update(body).digest('hex')}"`;

// The tests call a sandbox server over HTTP: generous, so that a loaded machine is slow,
// never failing.
jest.setTimeout(60_000);

describe('S3', () => {
  let running: RunningSandbox;
  let s3: S3Client;
  let other: S3Client;

  const client = (credentials: Credentials) =>
    s3Client(running.endpoint, credentials);

  /** A raw request as CENTRAL, for what the SDK would not send. */
  const raw = (
    path: string,
    init: RequestInit & { headers?: Record<string, string> } = {},
  ) =>
    fetch(`${running.endpoint}${path}`, {
      ...init,
      headers: {
        authorization: authorization(CENTRAL.accessKeyId),
        ...init.headers,
      },
    });

  beforeAll(async () => {
    running = await startSandbox({ port: 0, seed });
    s3 = client(CENTRAL);
    other = client(OTHER);
  });

  afterAll(() => running.close());

  describe('buckets', () => {
    it('creates a bucket that HeadBucket then finds, in us-east-1 by default', async () => {
      const created = await s3.send(
        new CreateBucketCommand({ Bucket: 'new-bucket' }),
      );
      expect(created.Location).toBe('/new-bucket');

      const head = await s3.send(
        new HeadBucketCommand({ Bucket: 'new-bucket' }),
      );
      expect(head.BucketRegion).toBe('us-east-1');
      expect(head.$metadata.httpStatusCode).toBe(200);
      expect(running.sandbox.state.buckets.get('new-bucket')).toMatchObject({
        ownerAccountId: '100000000001',
        region: 'us-east-1',
        sharedWithAllAccounts: false,
        objects: {},
      });
    });

    it('places a bucket in the region of its CreateBucketConfiguration', async () => {
      await s3.send(
        new CreateBucketCommand({
          Bucket: 'ireland-bucket',
          CreateBucketConfiguration: { LocationConstraint: 'eu-west-1' },
        }),
      );
      const head = await s3.send(
        new HeadBucketCommand({ Bucket: 'ireland-bucket' }),
      );
      expect(head.BucketRegion).toBe('eu-west-1');
    });

    it('refuses a location constraint that names no region', async () => {
      const error = await failure(
        s3.send(
          new CreateBucketCommand({
            Bucket: 'nowhere-bucket',
            CreateBucketConfiguration: { LocationConstraint: 'mars-1' as any },
          }),
        ),
      );
      expect(error.name).toBe('InvalidLocationConstraint');
      expect(error.$metadata.httpStatusCode).toBe(400);
      expect(running.sandbox.state.buckets.has('nowhere-bucket')).toBe(false);
    });

    it('answers BucketAlreadyOwnedByYou to the owner and BucketAlreadyExists to anyone else', async () => {
      const own = await failure(
        s3.send(new CreateBucketCommand({ Bucket: 'state-bucket' })),
      );
      expect(own).toBeInstanceOf(BucketAlreadyOwnedByYou);
      expect(own.$metadata.httpStatusCode).toBe(409);

      const foreign = await failure(
        other.send(new CreateBucketCommand({ Bucket: 'state-bucket' })),
      );
      expect(foreign).toBeInstanceOf(BucketAlreadyExists);
      expect(foreign.$metadata.httpStatusCode).toBe(409);
      expect(
        running.sandbox.state.buckets.get('state-bucket')!.ownerAccountId,
      ).toBe('100000000001');
    });

    it.each([
      ['Upper-Case', 'lowercase letters'],
      ['ab', '3 to 63 characters'],
      ['-leading-hyphen', 'begin and end'],
      ['two..dots', 'two adjacent dots'],
      ['192.168.5.4', 'IP address'],
      ['xn--reserved', 'reserved prefix xn--'],
    ])(
      'refuses the bucket name %s as InvalidBucketName',
      async (name, rule) => {
        const error = await failure(
          s3.send(new CreateBucketCommand({ Bucket: name })),
        );
        expect(error.name).toBe('InvalidBucketName');
        expect(error.$metadata.httpStatusCode).toBe(400);
        expect(error.message).toContain(rule);
        expect((error as any).BucketName).toBe(name);
      },
    );

    it('answers HeadBucket with a bodiless 404 for a missing bucket, which the SDK calls NotFound', async () => {
      const error = await failure(
        s3.send(new HeadBucketCommand({ Bucket: 'no-such-bucket' })),
      );
      expect(error.name).toBe('NotFound');
      expect(error.$metadata.httpStatusCode).toBe(404);
      expect(error.$metadata.requestId).toMatch(/^[0-9a-f-]{36}$/);
    });

    it('answers NoSuchBucket for operations on a missing bucket', async () => {
      const error = await failure(
        s3.send(new ListObjectsV2Command({ Bucket: 'no-such-bucket' })),
      );
      expect(error).toBeInstanceOf(NoSuchBucket);
      expect(error.$metadata.httpStatusCode).toBe(404);
      expect((error as any).BucketName).toBe('no-such-bucket');
    });
  });

  describe('objects', () => {
    it('round-trips a text body with its content type, ETag, length and date', async () => {
      const before = Date.now();
      const put = await s3.send(
        new PutObjectCommand({
          Bucket: 'new-bucket',
          Key: 'docs/readme.txt',
          Body: 'hello, sandbox',
          ContentType: 'text/plain; charset=utf-8',
        }),
      );
      expect(put.ETag).toBe(md5Etag('hello, sandbox'));
      expect(put.VersionId).toBeUndefined();

      const got = await s3.send(
        new GetObjectCommand({ Bucket: 'new-bucket', Key: 'docs/readme.txt' }),
      );
      expect(await got.Body!.transformToString()).toBe('hello, sandbox');
      expect(got.ContentType).toBe('text/plain; charset=utf-8');
      expect(got.ContentLength).toBe(14);
      expect(got.ETag).toBe(put.ETag);
      expect(got.LastModified!.getTime()).toBeGreaterThanOrEqual(
        Math.floor(before / 1000) * 1000,
      );
      expect(got.VersionId).toBeUndefined();
      // No checksum headers come back: the sandbox does not compute them.
      expect(got.ChecksumCRC32).toBeUndefined();
    });

    it('round-trips every byte value of a binary body', async () => {
      const body = Buffer.from(Array.from({ length: 512 }, (_, i) => i % 256));
      const put = await s3.send(
        new PutObjectCommand({
          Bucket: 'new-bucket',
          Key: 'bin/all-bytes',
          Body: body,
        }),
      );
      expect(put.ETag).toBe(md5Etag(body));

      const got = await s3.send(
        new GetObjectCommand({ Bucket: 'new-bucket', Key: 'bin/all-bytes' }),
      );
      expect(Buffer.from(await got.Body!.transformToByteArray())).toEqual(body);
      expect(got.ContentType).toBe('application/octet-stream');
    });

    it('stores an object sent without Content-Type as binary/octet-stream, as S3 does', async () => {
      const response = await raw('/new-bucket/untyped', {
        method: 'PUT',
        body: new Uint8Array([1, 2, 3]),
      });
      expect(response.status).toBe(200);
      const head = await s3.send(
        new HeadObjectCommand({ Bucket: 'new-bucket', Key: 'untyped' }),
      );
      expect(head.ContentType).toBe('binary/octet-stream');
      expect(head.ContentLength).toBe(3);
    });

    it('decodes a streamed body, which the SDK sends aws-chunked with a checksum trailer', async () => {
      const parts = [
        Buffer.alloc(70_000, 'a'),
        Buffer.from('\r\n0\r\n'),
        Buffer.alloc(10, 'z'),
      ];
      const whole = Buffer.concat(parts);
      const sent: Record<string, string>[] = [];
      const streaming = client(CENTRAL);
      streaming.middlewareStack.add(
        next => async args => {
          sent.push({
            ...(args.request as { headers: Record<string, string> }).headers,
          });
          return next(args);
        },
        { step: 'finalizeRequest' },
      );
      const put = await streaming.send(
        new PutObjectCommand({
          Bucket: 'new-bucket',
          Key: 'streamed',
          Body: Readable.from(parts),
          ContentLength: whole.length,
        }),
      );
      expect(put.ETag).toBe(md5Etag(whole));
      expect(sent[0]).toMatchObject({
        'content-encoding': 'aws-chunked',
        'x-amz-content-sha256': 'STREAMING-UNSIGNED-PAYLOAD-TRAILER',
        'x-amz-trailer': 'x-amz-checksum-crc32',
      });

      const got = await s3.send(
        new GetObjectCommand({ Bucket: 'new-bucket', Key: 'streamed' }),
      );
      expect(Buffer.from(await got.Body!.transformToByteArray())).toEqual(
        whole,
      );
      expect(got.ContentLength).toBe(whole.length);
    });

    it('decodes a signed aws-chunked body (STREAMING-AWS4-HMAC-SHA256-PAYLOAD)', async () => {
      const signature = 'f'.repeat(64);
      const body = [
        `5;chunk-signature=${signature}\r\nhello\r\n`,
        `6;chunk-signature=${signature}\r\n world\r\n`,
        `0;chunk-signature=${signature}\r\n\r\n`,
      ].join('');
      const response = await raw('/new-bucket/signed-chunks', {
        method: 'PUT',
        body,
        headers: {
          'content-encoding': 'aws-chunked',
          'x-amz-content-sha256': 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD',
          'x-amz-decoded-content-length': '11',
        },
      });
      expect(response.status).toBe(200);
      expect(response.headers.get('etag')).toBe(md5Etag('hello world'));

      const got = await s3.send(
        new GetObjectCommand({ Bucket: 'new-bucket', Key: 'signed-chunks' }),
      );
      expect(await got.Body!.transformToString()).toBe('hello world');
    });

    it('refuses a broken aws-chunked body as IncompleteBody', async () => {
      const response = await raw('/new-bucket/broken-chunks', {
        method: 'PUT',
        body: '10\r\nshort\r\n0\r\n\r\n',
        headers: {
          'content-encoding': 'aws-chunked',
          'x-amz-content-sha256': 'STREAMING-UNSIGNED-PAYLOAD-TRAILER',
        },
      });
      expect(response.status).toBe(400);
      const text = await response.text();
      expect(text).toContain('<Code>IncompleteBody</Code>');
      expect(text).toContain('chunk 0 declares 16 bytes');
      expect(
        running.sandbox.state.buckets.get('new-bucket')!.objects[
          'broken-chunks'
        ],
      ).toBeUndefined();
    });

    it('keeps keys as sent: spaces, unicode, dot segments and "__proto__"', async () => {
      const keys = [
        'with space/and+plus',
        'ünïcødé/☃',
        'a/../b/./c',
        '__proto__',
        'double//slash',
      ];
      for (const key of keys) {
        await s3.send(
          new PutObjectCommand({
            Bucket: 'shared-bucket',
            Key: key,
            Body: key,
          }),
        );
      }
      for (const key of keys) {
        const got = await s3.send(
          new GetObjectCommand({ Bucket: 'shared-bucket', Key: key }),
        );
        expect(await got.Body!.transformToString()).toBe(key);
      }
      const listed = await s3.send(
        new ListObjectsV2Command({ Bucket: 'shared-bucket' }),
      );
      expect(listed.Contents!.map(o => o.Key)).toEqual(
        expect.arrayContaining(keys),
      );
      expect(
        Object.getPrototypeOf(
          running.sandbox.state.buckets.get('shared-bucket')!.objects,
        ),
      ).toBe(Object.prototype);
    });

    it('describes an object with HeadObject', async () => {
      const head = await s3.send(
        new HeadObjectCommand({ Bucket: 'new-bucket', Key: 'docs/readme.txt' }),
      );
      expect(head).toMatchObject({
        ContentLength: 14,
        ContentType: 'text/plain; charset=utf-8',
        ETag: md5Etag('hello, sandbox'),
      });
      expect(head.LastModified).toBeInstanceOf(Date);
    });

    it('answers a missing key with NoSuchKey, and HeadObject with a bodiless 404 (NotFound)', async () => {
      const get = await failure(
        s3.send(
          new GetObjectCommand({ Bucket: 'new-bucket', Key: 'missing/key' }),
        ),
      );
      expect(get).toBeInstanceOf(NoSuchKey);
      expect(get.$metadata.httpStatusCode).toBe(404);
      expect((get as any).Key).toBe('missing/key');

      const head = await failure(
        s3.send(
          new HeadObjectCommand({ Bucket: 'new-bucket', Key: 'missing/key' }),
        ),
      );
      expect(head.name).toBe('NotFound');
      expect(head.$metadata.httpStatusCode).toBe(404);
    });

    it('deletes an object with 204, and again without complaint', async () => {
      await s3.send(
        new PutObjectCommand({
          Bucket: 'new-bucket',
          Key: 'doomed',
          Body: 'x',
        }),
      );
      const first = await s3.send(
        new DeleteObjectCommand({ Bucket: 'new-bucket', Key: 'doomed' }),
      );
      expect(first.$metadata.httpStatusCode).toBe(204);
      expect(first.DeleteMarker).toBeUndefined();
      const again = await s3.send(
        new DeleteObjectCommand({ Bucket: 'new-bucket', Key: 'doomed' }),
      );
      expect(again.$metadata.httpStatusCode).toBe(204);

      const error = await failure(
        s3.send(new GetObjectCommand({ Bucket: 'new-bucket', Key: 'doomed' })),
      );
      expect(error).toBeInstanceOf(NoSuchKey);
    });

    it('writes only if absent with If-None-Match: *, answering PreconditionFailed otherwise', async () => {
      const input = {
        Bucket: 'new-bucket',
        Key: 'lock',
        Body: 'held',
        IfNoneMatch: '*',
      };
      await s3.send(new PutObjectCommand(input));
      const error = await failure(s3.send(new PutObjectCommand(input)));
      expect(error.name).toBe('PreconditionFailed');
      expect(error.$metadata.httpStatusCode).toBe(412);
    });

    it('refuses a body that does not match its Content-MD5 as BadDigest', async () => {
      const error = await failure(
        s3.send(
          new PutObjectCommand({
            Bucket: 'new-bucket',
            Key: 'digest',
            Body: 'actual',
            ContentMD5: createHash('md5').update('expected').digest('base64'),
          }),
        ),
      );
      expect(error.name).toBe('BadDigest');
      expect(error.$metadata.httpStatusCode).toBe(400);
    });

    it('refuses a key longer than 1024 bytes as KeyTooLongError', async () => {
      const error = await failure(
        s3.send(
          new PutObjectCommand({
            Bucket: 'new-bucket',
            Key: 'k'.repeat(1025),
            Body: 'x',
          }),
        ),
      );
      expect(error.name).toBe('KeyTooLongError');
      expect(error.message).toContain('1024 bytes');
    });
  });

  describe('ListObjectsV2', () => {
    const keys = [
      'logs/2024/a.log',
      'logs/2024/b.log',
      'logs/2025/a.log',
      'logs/top.log',
      'other.txt',
      'zeta',
      'éclair',
      'Zebra',
      '\u{1F600}smile',
      '\uFF5Ewide',
    ];

    beforeAll(async () => {
      await s3.send(new CreateBucketCommand({ Bucket: 'list-bucket' }));
      for (const key of keys) {
        await s3.send(
          new PutObjectCommand({ Bucket: 'list-bucket', Key: key, Body: key }),
        );
      }
    });

    it('lists every key in UTF-8 binary order with sizes, ETags and dates', async () => {
      const listed = await s3.send(
        new ListObjectsV2Command({ Bucket: 'list-bucket' }),
      );
      const utf8Order = [...keys].sort((a, b) =>
        Buffer.compare(Buffer.from(a), Buffer.from(b)),
      );
      // UTF-16 order would put the emoji (a surrogate pair) before U+FF5E.
      expect(utf8Order.indexOf('\uFF5Ewide')).toBeLessThan(
        utf8Order.indexOf('\u{1F600}smile'),
      );
      expect(listed.Contents!.map(o => o.Key)).toEqual(utf8Order);
      expect(listed).toMatchObject({
        Name: 'list-bucket',
        KeyCount: keys.length,
        MaxKeys: 1000,
        IsTruncated: false,
      });
      expect(listed.NextContinuationToken).toBeUndefined();
      const zeta = listed.Contents!.find(o => o.Key === 'zeta')!;
      expect(zeta).toMatchObject({
        Size: 4,
        ETag: md5Etag('zeta'),
        StorageClass: 'STANDARD',
      });
      expect(zeta.LastModified).toBeInstanceOf(Date);
    });

    it('rolls keys up into common prefixes at the delimiter', async () => {
      const top = await s3.send(
        new ListObjectsV2Command({
          Bucket: 'list-bucket',
          Prefix: 'logs/',
          Delimiter: '/',
        }),
      );
      expect(top.Contents!.map(o => o.Key)).toEqual(['logs/top.log']);
      expect(top.CommonPrefixes!.map(p => p.Prefix)).toEqual([
        'logs/2024/',
        'logs/2025/',
      ]);
      expect(top.KeyCount).toBe(3);
      expect(top.Prefix).toBe('logs/');
      expect(top.Delimiter).toBe('/');

      const prefixOnly = await s3.send(
        new ListObjectsV2Command({
          Bucket: 'list-bucket',
          Prefix: 'logs/2024/',
        }),
      );
      expect(prefixOnly.Contents!.map(o => o.Key)).toEqual([
        'logs/2024/a.log',
        'logs/2024/b.log',
      ]);
      expect(prefixOnly.CommonPrefixes).toBeUndefined();
    });

    it('pages with continuation tokens, counting common prefixes as keys', async () => {
      const pages: ListObjectsV2CommandOutput[] = [];
      for await (const page of paginateListObjectsV2(
        { client: s3, pageSize: 2 },
        { Bucket: 'list-bucket', Delimiter: '/' },
      )) {
        pages.push(page);
      }
      // Zebra, logs/ (one prefix for three keys), other.txt, zeta, éclair, wide, emoji.
      expect(pages.map(p => p.KeyCount)).toEqual([2, 2, 2, 1]);
      expect(
        pages.slice(0, -1).every(p => p.IsTruncated && p.NextContinuationToken),
      ).toBe(true);
      expect(pages[pages.length - 1].IsTruncated).toBe(false);
      expect(
        pages.map(p => [
          ...(p.Contents ?? []).map(o => o.Key),
          ...(p.CommonPrefixes ?? []).map(c => c.Prefix),
        ]),
      ).toEqual([
        ['Zebra', 'logs/'],
        ['other.txt', 'zeta'],
        ['éclair', '\uFF5Ewide'],
        ['\u{1F600}smile'],
      ]);
      expect(pages[1].ContinuationToken).toBe(pages[0].NextContinuationToken);
    });

    it('starts after a key', async () => {
      const listed = await s3.send(
        new ListObjectsV2Command({
          Bucket: 'list-bucket',
          StartAfter: 'logs/2025/a.log',
          MaxKeys: 2,
        }),
      );
      expect(listed.Contents!.map(o => o.Key)).toEqual([
        'logs/top.log',
        'other.txt',
      ]);
      expect(listed.StartAfter).toBe('logs/2025/a.log');
      expect(listed.IsTruncated).toBe(true);
    });

    it('URL-encodes keys when asked to', async () => {
      const listed = await s3.send(
        new ListObjectsV2Command({
          Bucket: 'list-bucket',
          Prefix: 'é',
          EncodingType: 'url',
        }),
      );
      expect(listed.Contents!.map(o => o.Key)).toEqual(['%C3%A9clair']);
      expect(listed.Prefix).toBe('%C3%A9');
    });

    it('refuses a max-keys out of 1..1000 or not a number as InvalidArgument', async () => {
      const zero = await failure(
        s3.send(
          new ListObjectsV2Command({ Bucket: 'list-bucket', MaxKeys: 0 }),
        ),
      );
      expect(zero.name).toBe('InvalidArgument');
      expect(zero.message).toContain(
        'max-keys must be a whole number from 1 to 1000',
      );
      expect((zero as any).ArgumentName).toBe('max-keys');

      const response = await raw('/list-bucket?list-type=2&max-keys=lots');
      expect(response.status).toBe(400);
      expect(response.headers.get('content-type')).toBe('application/xml');
      const text = await response.text();
      expect(text).toContain('<Code>InvalidArgument</Code>');
      expect(text).toContain('<ArgumentName>max-keys</ArgumentName>');
      expect(text).toContain('<ArgumentValue>lots</ArgumentValue>');
      expect(text).toMatch(/<RequestId>[0-9a-f-]{36}<\/RequestId>/);
    });

    it('refuses a continuation token it did not issue', async () => {
      const error = await failure(
        s3.send(
          new ListObjectsV2Command({
            Bucket: 'list-bucket',
            ContinuationToken: 'not-a-token',
          }),
        ),
      );
      expect(error.name).toBe('InvalidArgument');
      expect(error.message).toBe(
        'The continuation token provided is incorrect',
      );
    });
  });

  describe('versioning', () => {
    it('gives objects of a versioned bucket version ids, which GetObject and HeadObject return', async () => {
      const versioning = await s3.send(
        new GetBucketVersioningCommand({ Bucket: 'state-bucket' }),
      );
      expect(versioning.Status).toBe('Enabled');

      const first = await s3.send(
        new PutObjectCommand({
          Bucket: 'state-bucket',
          Key: 'tfstate',
          Body: 'v1',
        }),
      );
      const second = await s3.send(
        new PutObjectCommand({
          Bucket: 'state-bucket',
          Key: 'tfstate',
          Body: 'v2',
        }),
      );
      expect(first.VersionId).toMatch(/^[\w-]{32}$/);
      expect(second.VersionId).not.toBe(first.VersionId);

      const got = await s3.send(
        new GetObjectCommand({ Bucket: 'state-bucket', Key: 'tfstate' }),
      );
      expect(got.VersionId).toBe(second.VersionId);
      expect(await got.Body!.transformToString()).toBe('v2');
      const head = await s3.send(
        new HeadObjectCommand({ Bucket: 'state-bucket', Key: 'tfstate' }),
      );
      expect(head.VersionId).toBe(second.VersionId);

      const byVersion = await s3.send(
        new GetObjectCommand({
          Bucket: 'state-bucket',
          Key: 'tfstate',
          VersionId: second.VersionId,
        }),
      );
      expect(await byVersion.Body!.transformToString()).toBe('v2');
      // Only the current version is kept.
      const old = await failure(
        s3.send(
          new GetObjectCommand({
            Bucket: 'state-bucket',
            Key: 'tfstate',
            VersionId: first.VersionId,
          }),
        ),
      );
      expect(old.name).toBe('NoSuchVersion');
      expect(old.$metadata.httpStatusCode).toBe(404);
    });

    it('turns versioning on and suspends it', async () => {
      await s3.send(new CreateBucketCommand({ Bucket: 'versioned-later' }));
      const none = await s3.send(
        new GetBucketVersioningCommand({ Bucket: 'versioned-later' }),
      );
      expect(none.Status).toBeUndefined();
      await s3.send(
        new PutObjectCommand({
          Bucket: 'versioned-later',
          Key: 'early',
          Body: 'x',
        }),
      );

      await s3.send(
        new PutBucketVersioningCommand({
          Bucket: 'versioned-later',
          VersioningConfiguration: { Status: 'Enabled' },
        }),
      );
      expect(
        (
          await s3.send(
            new GetBucketVersioningCommand({ Bucket: 'versioned-later' }),
          )
        ).Status,
      ).toBe('Enabled');
      const versioned = await s3.send(
        new PutObjectCommand({
          Bucket: 'versioned-later',
          Key: 'k',
          Body: 'x',
        }),
      );
      expect(versioned.VersionId).toBeDefined();
      // An object written before versioning is the "null" version.
      const early = await s3.send(
        new HeadObjectCommand({ Bucket: 'versioned-later', Key: 'early' }),
      );
      expect(early.VersionId).toBe('null');

      const deleted = await s3.send(
        new DeleteObjectCommand({ Bucket: 'versioned-later', Key: 'k' }),
      );
      expect(deleted.DeleteMarker).toBe(true);
      expect(deleted.VersionId).toBeDefined();

      await s3.send(
        new PutBucketVersioningCommand({
          Bucket: 'versioned-later',
          VersioningConfiguration: { Status: 'Suspended' },
        }),
      );
      expect(
        (
          await s3.send(
            new GetBucketVersioningCommand({ Bucket: 'versioned-later' }),
          )
        ).Status,
      ).toBe('Suspended');
      const suspended = await s3.send(
        new PutObjectCommand({
          Bucket: 'versioned-later',
          Key: 'k',
          Body: 'y',
        }),
      );
      expect(suspended.VersionId).toBe('null');
    });

    it('refuses a versioning status S3 does not know as MalformedXML', async () => {
      const error = await failure(
        s3.send(
          new PutBucketVersioningCommand({
            Bucket: 'versioned-later',
            VersioningConfiguration: { Status: 'Paused' as any },
          }),
        ),
      );
      expect(error.name).toBe('MalformedXML');
      expect(error.message).toContain('VersioningConfiguration.Status');
    });

    it('answers XML that is not well formed with an S3 MalformedXML error', async () => {
      const response = await raw('/versioned-later?versioning', {
        method: 'PUT',
        body: '<VersioningConfiguration><Status>Enabled</VersioningConfiguration>',
      });
      expect(response.status).toBe(400);
      expect(response.headers.get('content-type')).toBe('application/xml');
      expect(response.headers.get('x-amz-request-id')).toMatch(
        /^[0-9a-f-]{36}$/,
      );
      const text = await response.text();
      expect(text).toMatch(
        /^<\?xml version="1.0" encoding="UTF-8"\?>\n<Error><Code>MalformedXML<\/Code>/,
      );
      expect(text).toContain('not well-formed XML');

      for (const body of [
        '',
        '<Other/>',
        '<VersioningConfiguration><Bogus>1</Bogus></VersioningConfiguration>',
      ]) {
        const refused = await raw('/versioned-later?versioning', {
          method: 'PUT',
          body,
        });
        expect(refused.status).toBe(400);
        expect(await refused.text()).toContain('<Code>MalformedXML</Code>');
      }
      expect(
        running.sandbox.state.buckets.get('versioned-later')!.versioning,
      ).toBe('Suspended');
    });
  });

  describe('access', () => {
    it('refuses another account the bucket, as S3 refuses a principal no policy allows', async () => {
      const calls = [
        other.send(new HeadBucketCommand({ Bucket: 'state-bucket' })),
        other.send(
          new GetObjectCommand({ Bucket: 'state-bucket', Key: 'tfstate' }),
        ),
        other.send(
          new PutObjectCommand({
            Bucket: 'state-bucket',
            Key: 'intruder',
            Body: 'x',
          }),
        ),
        other.send(new ListObjectsV2Command({ Bucket: 'state-bucket' })),
        other.send(new GetBucketVersioningCommand({ Bucket: 'state-bucket' })),
      ];
      const errors = await Promise.all(calls.map(failure));
      // HeadBucket's 403 has no body to name its error, and the SDK names only a 404.
      expect(errors.map(e => e.name)).toEqual([
        'Unknown',
        'AccessDenied',
        'AccessDenied',
        'AccessDenied',
        'AccessDenied',
      ]);
      expect(errors.every(e => e.$metadata.httpStatusCode === 403)).toBe(true);
      expect(
        running.sandbox.state.buckets.get('state-bucket')!.objects.intruder,
      ).toBeUndefined();
    });

    it('lets every account use a bucket shared with all accounts', async () => {
      await other.send(
        new PutObjectCommand({
          Bucket: 'shared-bucket',
          Key: 'from-other',
          Body: 'hi',
        }),
      );
      const got = await s3.send(
        new GetObjectCommand({ Bucket: 'shared-bucket', Key: 'from-other' }),
      );
      expect(await got.Body!.transformToString()).toBe('hi');
      await other.send(new HeadBucketCommand({ Bucket: 'shared-bucket' }));
    });

    it('answers credentials it never issued with InvalidAccessKeyId', async () => {
      const stranger = client({
        accessKeyId: 'AKIAUNKNOWN000000000',
        secretAccessKey: 'nope',
      });
      const error = await failure(
        stranger.send(new ListObjectsV2Command({ Bucket: 'shared-bucket' })),
      );
      expect(error.name).toBe('InvalidAccessKeyId');
      expect(error.$metadata.httpStatusCode).toBe(403);
    });

    it('answers expired session credentials with ExpiredToken', async () => {
      running.sandbox.state.credentials.set('ASIAEXPIRED000000001', {
        accessKeyId: 'ASIAEXPIRED000000001',
        secretAccessKey: 'expired-secret',
        sessionToken: 'expired-token',
        expiresAt: 0,
        principal: {
          type: 'user',
          accountId: '100000000001',
          arn: 'arn:aws:iam::100000000001:user/pipeline',
          userId: 'AIDAEXPIRED',
        },
      });
      const expired = client({
        accessKeyId: 'ASIAEXPIRED000000001',
        secretAccessKey: 'expired-secret',
        sessionToken: 'expired-token',
      });
      const error = await failure(
        expired.send(
          new HeadObjectCommand({ Bucket: 'shared-bucket', Key: 'x' }),
        ),
      );
      expect(error.$metadata.httpStatusCode).toBe(400);
      const listError = await failure(
        expired.send(new ListObjectsV2Command({ Bucket: 'shared-bucket' })),
      );
      expect(listError.name).toBe('ExpiredToken');
    });

    it('answers an unsigned request with AccessDenied', async () => {
      const response = await fetch(
        `${running.endpoint}/shared-bucket/from-other`,
      );
      expect(response.status).toBe(403);
      expect(await response.text()).toContain('<Code>AccessDenied</Code>');
    });
  });

  describe('requests the sandbox does not serve', () => {
    it('answers an S3 operation it does not implement with NotImplemented', async () => {
      const error = await failure(s3.send(new ListBucketsCommand({})));
      expect(error.name).toBe('NotImplemented');
      expect(error.$metadata.httpStatusCode).toBe(501);
      expect(error.message).toContain('ListBuckets');

      // A subresource is never mistaken for the plain operation.
      const policy = await raw('/new-bucket?policy', {
        method: 'PUT',
        body: '{}',
      });
      expect(policy.status).toBe(501);
      expect(await policy.text()).toContain('PutBucketPolicy');
    });

    it('answers a method S3 has no operation for with MethodNotAllowed', async () => {
      const response = await raw('/new-bucket/some-key', {
        method: 'POST',
        body: 'x',
      });
      expect(response.status).toBe(405);
      expect(await response.text()).toContain('<Code>MethodNotAllowed</Code>');
    });

    it('answers a path that is not percent-encoded UTF-8 with InvalidURI', async () => {
      const response = await raw('/new-bucket/bad%ZZkey');
      expect(response.status).toBe(400);
      expect(await response.text()).toContain('<Code>InvalidURI</Code>');
    });
  });

  describe('the pipeline', () => {
    it('keeps buckets and objects in the state file across restarts', async () => {
      const directory = mkdtempSync(join(tmpdir(), 's3-state-'));
      const stateFile = join(directory, 'state.json');
      try {
        const first = await startSandbox({ port: 0, seed, stateFile });
        const before = s3Client(first.endpoint, CENTRAL);
        await before.send(
          new CreateBucketCommand({ Bucket: 'durable-bucket' }),
        );
        await before.send(
          new PutObjectCommand({
            Bucket: 'durable-bucket',
            Key: 'k',
            Body: 'kept',
          }),
        );
        await first.close();

        const second = await startSandbox({ port: 0, seed, stateFile });
        const after = s3Client(second.endpoint, CENTRAL);
        const got = await after.send(
          new GetObjectCommand({ Bucket: 'durable-bucket', Key: 'k' }),
        );
        expect(await got.Body!.transformToString()).toBe('kept');
        await second.close();
      } finally {
        rmSync(directory, { recursive: true, force: true });
      }
    });

    it("answers with the fault plan's errors, such as SlowDown", async () => {
      running.sandbox.faults.add({
        operation: 'PutObject',
        service: 's3',
        count: 1,
        error: {
          code: 'SlowDown',
          message: 'Please reduce your request rate.',
          statusCode: 503,
        },
      });
      const error = await failure(
        s3.send(
          new PutObjectCommand({
            Bucket: 'new-bucket',
            Key: 'slow',
            Body: 'x',
          }),
        ),
      );
      expect(error.name).toBe('SlowDown');
      expect(error.$metadata.httpStatusCode).toBe(503);
      await s3.send(
        new PutObjectCommand({ Bucket: 'new-bucket', Key: 'slow', Body: 'x' }),
      );
    });

    it('keeps objects in the sandbox state and logs each call with whether it changed state', async () => {
      running.sandbox.calls.clear();
      await s3.send(
        new PutObjectCommand({
          Bucket: 'state-bucket',
          Key: 'kept',
          Body: 'persisted',
        }),
      );
      await s3.send(
        new GetObjectCommand({ Bucket: 'state-bucket', Key: 'kept' }),
      );

      const object =
        running.sandbox.state.buckets.get('state-bucket')!.objects.kept;
      expect(Buffer.from(object.body, 'base64').toString()).toBe('persisted');
      expect(object).toMatchObject({
        etag: md5Etag('persisted'),
        contentType: 'application/octet-stream',
      });
      expect(object.versionId).toBeDefined();
      expect(
        running.sandbox.state
          .toData()
          .buckets.find(b => b.name === 'state-bucket')!.objects.kept,
      ).toBe(object);

      expect(running.sandbox.calls.list()).toEqual([
        expect.objectContaining({
          service: 's3',
          operation: 'PutObject',
          account: '100000000001',
          principal: 'arn:aws:iam::100000000001:user/pipeline',
          mutating: true,
        }),
        expect.objectContaining({
          service: 's3',
          operation: 'GetObject',
          mutating: false,
        }),
      ]);
    });
  });
});
