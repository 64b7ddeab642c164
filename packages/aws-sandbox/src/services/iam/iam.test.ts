import {
  AttachRolePolicyCommand,
  CreatePolicyCommand,
  CreatePolicyVersionCommand,
  CreateRoleCommand,
  CreateRoleCommandInput,
  DeleteConflictException,
  DeletePolicyVersionCommand,
  DeleteRoleCommand,
  DeleteRolePermissionsBoundaryCommand,
  DeleteRolePolicyCommand,
  DetachRolePolicyCommand,
  EntityAlreadyExistsException,
  GetPolicyCommand,
  GetPolicyVersionCommand,
  GetRoleCommand,
  GetRolePolicyCommand,
  IAMClient,
  InvalidInputException,
  LimitExceededException,
  ListAttachedRolePoliciesCommand,
  ListPolicyVersionsCommand,
  ListRolePoliciesCommand,
  ListRoleTagsCommand,
  MalformedPolicyDocumentException,
  NoSuchEntityException,
  paginateListAttachedRolePolicies,
  paginateListPolicyVersions,
  paginateListRolePolicies,
  paginateListRoleTags,
  PutRolePermissionsBoundaryCommand,
  PutRolePolicyCommand,
  TagRoleCommand,
  UntagRoleCommand,
  UpdateAssumeRolePolicyCommand,
  UpdateRoleCommand,
} from '@aws-sdk/client-iam';
import { AwsError } from '../../errors';
import { parseSeed } from '../../seed/loadSeed';
import { RunningSandbox, startSandbox } from '../../server';
import { iamService } from './index';

const CENTRAL = '100000000001';
const OTHER = '100000000002';
const CENTRAL_KEYS = {
  accessKeyId: 'AKIASANDBOXTEST00001',
  secretAccessKey: 'test-secret-access-key-1',
};
const OTHER_KEYS = {
  accessKeyId: 'AKIASANDBOXTEST00002',
  secretAccessKey: 'test-secret-access-key-2',
};

const seed = parseSeed({
  accounts: [
    {
      id: CENTRAL,
      name: 'central',
      email: 'central@example.com',
      users: [{ name: 'pipeline', ...CENTRAL_KEYS }],
    },
    {
      id: OTHER,
      name: 'other',
      email: 'other@example.com',
      users: [{ name: 'someone', ...OTHER_KEYS }],
    },
  ],
});

const ADMIN = 'arn:aws:iam::aws:policy/AdministratorAccess';
const READ_ONLY = 'arn:aws:iam::aws:policy/ReadOnlyAccess';

/** A trust policy letting the central account assume the role, formatted as a person would write it. */
const trustPolicy = (account = CENTRAL) =>
  JSON.stringify(
    {
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Principal: { AWS: `arn:aws:iam::${account}:root` },
          Action: 'sts:AssumeRole',
        },
      ],
    },
    null,
    2,
  );

/** A permissions policy; `action` tells versions apart. Characters that need URL-encoding on purpose. */
const permissionsPolicy = (action = 's3:GetObject') =>
  JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Action: action,
        Resource: 'arn:aws:s3:::bucket/a b+c&d=e%f',
      },
    ],
  });

/** Collects every item of every page a paginator yields. */
async function all<P, T>(
  pages: AsyncIterable<P>,
  items: (page: P) => T[] | undefined,
) {
  const collected: T[] = [];
  let count = 0;
  for await (const page of pages) {
    count += 1;
    collected.push(...(items(page) ?? []));
  }
  return { items: collected, pages: count };
}

/** The message of the 400 ValidationError a call fails with. @throws when it fails otherwise, or succeeds. */
async function validationError(call: Promise<unknown>): Promise<string> {
  const error = await call.then(
    () => undefined,
    e => e,
  );
  if (
    error?.name !== 'ValidationError' ||
    error.$metadata?.httpStatusCode !== 400
  ) {
    throw new Error(
      `expected a 400 ValidationError, got ${error?.name ?? 'success'}`,
    );
  }
  return error.message;
}

// The tests call a sandbox server over HTTP: generous, so that a loaded machine is slow,
// never failing.
jest.setTimeout(60_000);

describe('IAM', () => {
  let running: RunningSandbox;
  let iam: IAMClient;
  let otherIam: IAMClient;

  const client = (credentials: {
    accessKeyId: string;
    secretAccessKey: string;
  }) =>
    new IAMClient({
      endpoint: running.endpoint,
      region: 'us-east-1',
      credentials,
      maxAttempts: 1,
    });

  const createRole = (
    RoleName: string,
    extra: Partial<CreateRoleCommandInput> = {},
  ) =>
    iam.send(
      new CreateRoleCommand({
        RoleName,
        AssumeRolePolicyDocument: trustPolicy(),
        ...extra,
      }),
    );

  const createPolicy = (PolicyName: string, Path?: string) =>
    iam
      .send(
        new CreatePolicyCommand({
          PolicyName,
          Path,
          PolicyDocument: permissionsPolicy(),
        }),
      )
      .then(out => out.Policy!.Arn!);

  const getPolicy = (PolicyArn: string) =>
    iam.send(new GetPolicyCommand({ PolicyArn })).then(out => out.Policy!);

  beforeAll(async () => {
    running = await startSandbox({ port: 0, seed });
    iam = client(CENTRAL_KEYS);
    otherIam = client(OTHER_KEYS);
  });

  beforeEach(() => running.sandbox.reset());

  afterAll(async () => {
    iam.destroy();
    otherIam.destroy();
    await running.close();
  });

  describe('roles', () => {
    it('creates a role and gives it back as IAM describes roles', async () => {
      const trust = trustPolicy();
      const { Role: created } = await createRole('deployer', {
        Path: '/team/',
        AssumeRolePolicyDocument: trust,
        Description: 'Deploys the workloads',
        MaxSessionDuration: 7200,
        Tags: [{ Key: 'team', Value: 'platform' }],
      });

      expect(created).toMatchObject({
        RoleName: 'deployer',
        Path: '/team/',
        Arn: `arn:aws:iam::${CENTRAL}:role/team/deployer`,
        Description: 'Deploys the workloads',
        MaxSessionDuration: 7200,
        Tags: [{ Key: 'team', Value: 'platform' }],
      });
      expect(created!.RoleId).toMatch(/^AROA[A-Z2-7]{17}$/);
      expect(created!.CreateDate).toBeInstanceOf(Date);

      const { Role: role } = await iam.send(
        new GetRoleCommand({ RoleName: 'deployer' }),
      );
      expect(role).toMatchObject({
        RoleId: created!.RoleId,
        Arn: created!.Arn,
      });
      expect(role!.CreateDate!.getTime()).toBe(created!.CreateDate!.getTime());
      // IAM returns the document URL-encoded; decoding gives back the text as sent, spacing and all.
      expect(decodeURIComponent(role!.AssumeRolePolicyDocument!)).toBe(trust);
      expect(role!.RoleLastUsed).toEqual({});
      expect(role!.PermissionsBoundary).toBeUndefined();
    });

    it('defaults the path to / and the session duration to an hour, and leaves out absent members', async () => {
      const { Role: role } = await createRole('plain');
      expect(role).toMatchObject({ Path: '/', MaxSessionDuration: 3600 });
      expect(role!.Arn).toBe(`arn:aws:iam::${CENTRAL}:role/plain`);
      expect(role!.Description).toBeUndefined();
      expect(role!.Tags).toBeUndefined();
    });

    it('refuses a second role of the same name, whatever its case', async () => {
      await createRole('Builder');
      const error = await createRole('builder').catch(e => e);
      expect(error).toBeInstanceOf(EntityAlreadyExistsException);
      expect(error.message).toBe('Role with name builder already exists.');
      expect(error.$metadata.httpStatusCode).toBe(409);
    });

    it('finds a role by any casing of its name, as IAM does', async () => {
      await createRole('Builder');
      const { Role: role } = await iam.send(
        new GetRoleCommand({ RoleName: 'BUILDER' }),
      );
      expect(role!.RoleName).toBe('Builder');
    });

    it('answers NoSuchEntity for a role that does not exist', async () => {
      const error = await iam
        .send(new GetRoleCommand({ RoleName: 'ghost' }))
        .catch(e => e);
      expect(error).toBeInstanceOf(NoSuchEntityException);
      expect(error.message).toBe('The role with name ghost cannot be found.');
      expect(error.$metadata.httpStatusCode).toBe(404);
    });

    it.each([
      ['text that is not JSON', 'not json'],
      ['a JSON array', '[]'],
      ['a document without a Statement', '{"Version":"2012-10-17"}'],
      [
        'a trust policy without a Principal',
        '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sts:AssumeRole"}]}',
      ],
    ])('refuses a trust policy that is %s', async (_, document) => {
      const error = await createRole('bad-trust', {
        AssumeRolePolicyDocument: document,
      }).catch(e => e);
      expect(error).toBeInstanceOf(MalformedPolicyDocumentException);
      expect(error.$metadata.httpStatusCode).toBe(400);
      await expect(
        iam.send(new GetRoleCommand({ RoleName: 'bad-trust' })),
      ).rejects.toBeInstanceOf(NoSuchEntityException);
    });

    it('replaces the trust policy with UpdateAssumeRolePolicy, and checks the new one', async () => {
      await createRole('updatable');
      const trust = trustPolicy(OTHER);
      await iam.send(
        new UpdateAssumeRolePolicyCommand({
          RoleName: 'updatable',
          PolicyDocument: trust,
        }),
      );
      const { Role: role } = await iam.send(
        new GetRoleCommand({ RoleName: 'updatable' }),
      );
      expect(decodeURIComponent(role!.AssumeRolePolicyDocument!)).toBe(trust);

      await expect(
        iam.send(
          new UpdateAssumeRolePolicyCommand({
            RoleName: 'updatable',
            PolicyDocument: '{',
          }),
        ),
      ).rejects.toBeInstanceOf(MalformedPolicyDocumentException);
      await expect(
        iam.send(
          new UpdateAssumeRolePolicyCommand({
            RoleName: 'ghost',
            PolicyDocument: trust,
          }),
        ),
      ).rejects.toBeInstanceOf(NoSuchEntityException);
    });

    it('changes a role description and session length with UpdateRole', async () => {
      await createRole('adjustable');
      await iam.send(
        new UpdateRoleCommand({
          RoleName: 'adjustable',
          Description: 'longer sessions',
          MaxSessionDuration: 7200,
        }),
      );
      const { Role: role } = await iam.send(
        new GetRoleCommand({ RoleName: 'adjustable' }),
      );
      expect(role).toMatchObject({
        Description: 'longer sessions',
        MaxSessionDuration: 7200,
      });
      await expect(
        iam.send(
          new UpdateRoleCommand({
            RoleName: 'adjustable',
            MaxSessionDuration: 60,
          }),
        ),
      ).rejects.toMatchObject({ name: 'ValidationError' });
    });

    it('deletes a role only once its inline and attached policies are gone', async () => {
      await createRole('doomed');
      await iam.send(
        new PutRolePolicyCommand({
          RoleName: 'doomed',
          PolicyName: 'inline',
          PolicyDocument: permissionsPolicy(),
        }),
      );
      await iam.send(
        new AttachRolePolicyCommand({ RoleName: 'doomed', PolicyArn: ADMIN }),
      );

      const withInline = await iam
        .send(new DeleteRoleCommand({ RoleName: 'doomed' }))
        .catch(e => e);
      expect(withInline).toBeInstanceOf(DeleteConflictException);
      expect(withInline.$metadata.httpStatusCode).toBe(409);
      expect(withInline.message).toBe(
        'Cannot delete entity, must delete policies first.',
      );

      await iam.send(
        new DeleteRolePolicyCommand({
          RoleName: 'doomed',
          PolicyName: 'inline',
        }),
      );
      const withAttached = await iam
        .send(new DeleteRoleCommand({ RoleName: 'doomed' }))
        .catch(e => e);
      expect(withAttached).toBeInstanceOf(DeleteConflictException);
      expect(withAttached.message).toBe(
        'Cannot delete entity, must detach all policies first.',
      );

      await iam.send(
        new DetachRolePolicyCommand({ RoleName: 'doomed', PolicyArn: ADMIN }),
      );
      await iam.send(new DeleteRoleCommand({ RoleName: 'doomed' }));
      await expect(
        iam.send(new GetRoleCommand({ RoleName: 'doomed' })),
      ).rejects.toBeInstanceOf(NoSuchEntityException);
      await expect(
        iam.send(new DeleteRoleCommand({ RoleName: 'doomed' })),
      ).rejects.toBeInstanceOf(NoSuchEntityException);
      // The name is free again.
      await createRole('doomed');
    });

    it('treats names such as constructor as plain names', async () => {
      await expect(
        iam.send(new GetRoleCommand({ RoleName: 'constructor' })),
      ).rejects.toBeInstanceOf(NoSuchEntityException);
      await createRole('__proto__');
      const { Role: role } = await iam.send(
        new GetRoleCommand({ RoleName: '__proto__' }),
      );
      expect(role!.RoleName).toBe('__proto__');
    });
  });

  describe('role tags', () => {
    it('adds, overwrites, lists and removes tags', async () => {
      await createRole('tagged', { Tags: [{ Key: 'env', Value: 'dev' }] });
      await iam.send(
        new TagRoleCommand({
          RoleName: 'tagged',
          Tags: [
            { Key: 'env', Value: 'prod' },
            { Key: 'owner', Value: 'team-a' },
            { Key: 'note', Value: '' },
          ],
        }),
      );
      const { Tags, IsTruncated } = await iam.send(
        new ListRoleTagsCommand({ RoleName: 'tagged' }),
      );
      expect(IsTruncated).toBe(false);
      expect(Tags).toEqual(
        expect.arrayContaining([
          { Key: 'env', Value: 'prod' },
          { Key: 'owner', Value: 'team-a' },
          { Key: 'note', Value: '' },
        ]),
      );
      expect(Tags).toHaveLength(3);

      await iam.send(
        new UntagRoleCommand({
          RoleName: 'tagged',
          TagKeys: ['owner', 'not-there'],
        }),
      );
      const { Role: role } = await iam.send(
        new GetRoleCommand({ RoleName: 'tagged' }),
      );
      expect(role!.Tags).toHaveLength(2);
      expect(role!.Tags).not.toContainEqual({ Key: 'owner', Value: 'team-a' });
    });

    it('treats tag keys without regard to case', async () => {
      await createRole('cased', {
        Tags: [{ Key: 'Department', Value: 'finance' }],
      });
      await iam.send(
        new TagRoleCommand({
          RoleName: 'cased',
          Tags: [{ Key: 'department', Value: 'hr' }],
        }),
      );
      const { Tags } = await iam.send(
        new ListRoleTagsCommand({ RoleName: 'cased' }),
      );
      expect(Tags).toEqual([{ Key: 'department', Value: 'hr' }]);

      const error = await iam
        .send(
          new TagRoleCommand({
            RoleName: 'cased',
            Tags: [
              { Key: 'Team', Value: 'a' },
              { Key: 'team', Value: 'b' },
            ],
          }),
        )
        .catch(e => e);
      expect(error).toBeInstanceOf(InvalidInputException);
    });

    it('pages through the tags with the SDK paginator', async () => {
      const tags = Array.from({ length: 7 }, (_, i) => ({
        Key: `key-${i}`,
        Value: `value-${i}`,
      }));
      await createRole('many-tags', { Tags: tags });
      const { items, pages } = await all(
        paginateListRoleTags(
          { client: iam, pageSize: 3 },
          { RoleName: 'many-tags' },
        ),
        page => page.Tags,
      );
      expect(pages).toBe(3);
      expect(items).toEqual(tags);
    });

    it('refuses more than 50 tags on a role, leaving its tags as they were', async () => {
      const tags = Array.from({ length: 30 }, (_, i) => ({
        Key: `a-${i}`,
        Value: 'x',
      }));
      await createRole('full', { Tags: tags });
      const error = await iam
        .send(
          new TagRoleCommand({
            RoleName: 'full',
            Tags: Array.from({ length: 21 }, (_, i) => ({
              Key: `b-${i}`,
              Value: 'y',
            })),
          }),
        )
        .catch(e => e);
      expect(error).toBeInstanceOf(LimitExceededException);
      expect(error.$metadata.httpStatusCode).toBe(409);
      const { Tags } = await iam.send(
        new ListRoleTagsCommand({ RoleName: 'full' }),
      );
      expect(Tags).toHaveLength(30);
    });

    it('answers NoSuchEntity when tagging a role that does not exist', async () => {
      await expect(
        iam.send(
          new TagRoleCommand({
            RoleName: 'ghost',
            Tags: [{ Key: 'a', Value: 'b' }],
          }),
        ),
      ).rejects.toBeInstanceOf(NoSuchEntityException);
      await expect(
        iam.send(new UntagRoleCommand({ RoleName: 'ghost', TagKeys: ['a'] })),
      ).rejects.toBeInstanceOf(NoSuchEntityException);
      await expect(
        iam.send(new ListRoleTagsCommand({ RoleName: 'ghost' })),
      ).rejects.toBeInstanceOf(NoSuchEntityException);
    });
  });

  describe('inline policies', () => {
    it('puts, gets, replaces and deletes an inline policy', async () => {
      await createRole('worker');
      const first = permissionsPolicy('s3:GetObject');
      await iam.send(
        new PutRolePolicyCommand({
          RoleName: 'worker',
          PolicyName: 'read',
          PolicyDocument: first,
        }),
      );
      const got = await iam.send(
        new GetRolePolicyCommand({ RoleName: 'worker', PolicyName: 'read' }),
      );
      expect(got).toMatchObject({ RoleName: 'worker', PolicyName: 'read' });
      expect(decodeURIComponent(got.PolicyDocument!)).toBe(first);

      const second = permissionsPolicy('s3:PutObject');
      await iam.send(
        new PutRolePolicyCommand({
          RoleName: 'worker',
          PolicyName: 'read',
          PolicyDocument: second,
        }),
      );
      const replaced = await iam.send(
        new GetRolePolicyCommand({ RoleName: 'worker', PolicyName: 'read' }),
      );
      expect(decodeURIComponent(replaced.PolicyDocument!)).toBe(second);

      await iam.send(
        new DeleteRolePolicyCommand({ RoleName: 'worker', PolicyName: 'read' }),
      );
      const gone = await iam
        .send(
          new GetRolePolicyCommand({ RoleName: 'worker', PolicyName: 'read' }),
        )
        .catch(e => e);
      expect(gone).toBeInstanceOf(NoSuchEntityException);
      expect(gone.message).toBe(
        'The role policy with name read cannot be found.',
      );
      await expect(
        iam.send(
          new DeleteRolePolicyCommand({
            RoleName: 'worker',
            PolicyName: 'read',
          }),
        ),
      ).rejects.toBeInstanceOf(NoSuchEntityException);
    });

    it('lists the policy names in order, a page at a time', async () => {
      await createRole('busy');
      const names = ['echo', 'alpha', 'delta', 'bravo', 'charlie'];
      for (const PolicyName of names) {
        await iam.send(
          new PutRolePolicyCommand({
            RoleName: 'busy',
            PolicyName,
            PolicyDocument: permissionsPolicy(),
          }),
        );
      }
      const first = await iam.send(
        new ListRolePoliciesCommand({ RoleName: 'busy', MaxItems: 2 }),
      );
      expect(first).toMatchObject({
        PolicyNames: ['alpha', 'bravo'],
        IsTruncated: true,
      });
      expect(first.Marker).toEqual(expect.any(String));

      const { items, pages } = await all(
        paginateListRolePolicies(
          { client: iam, pageSize: 2 },
          { RoleName: 'busy' },
        ),
        page => page.PolicyNames,
      );
      expect(pages).toBe(3);
      expect(items).toEqual([...names].sort());

      const missingRole = await iam
        .send(new ListRolePoliciesCommand({ RoleName: 'ghost' }))
        .catch(e => e);
      expect(missingRole).toBeInstanceOf(NoSuchEntityException);
    });

    it('lists no policy names for a role without any', async () => {
      await createRole('bare');
      const out = await iam.send(
        new ListRolePoliciesCommand({ RoleName: 'bare' }),
      );
      expect(out.PolicyNames).toEqual([]);
      expect(out.IsTruncated).toBe(false);
      expect(out.Marker).toBeUndefined();
    });

    it('refuses a permissions policy that names a principal or is not a policy', async () => {
      await createRole('strict');
      for (const PolicyDocument of [
        trustPolicy(),
        '"just a string"',
        '{"Statement":[]}',
      ]) {
        await expect(
          iam.send(
            new PutRolePolicyCommand({
              RoleName: 'strict',
              PolicyName: 'p',
              PolicyDocument,
            }),
          ),
        ).rejects.toBeInstanceOf(MalformedPolicyDocumentException);
      }
    });
  });

  describe('attached policies', () => {
    it('attaches AWS managed and customer managed policies and keeps the counts right', async () => {
      await createRole('app');
      await createRole('app2');
      const custom = await createPolicy('app-access', '/apps/');

      await iam.send(
        new AttachRolePolicyCommand({ RoleName: 'app', PolicyArn: ADMIN }),
      );
      await iam.send(
        new AttachRolePolicyCommand({ RoleName: 'app', PolicyArn: custom }),
      );
      await iam.send(
        new AttachRolePolicyCommand({ RoleName: 'app2', PolicyArn: custom }),
      );
      // Attaching again changes nothing.
      await iam.send(
        new AttachRolePolicyCommand({ RoleName: 'app', PolicyArn: custom }),
      );
      expect((await getPolicy(custom)).AttachmentCount).toBe(2);

      const { AttachedPolicies, IsTruncated } = await iam.send(
        new ListAttachedRolePoliciesCommand({ RoleName: 'app' }),
      );
      expect(IsTruncated).toBe(false);
      expect(AttachedPolicies).toEqual([
        { PolicyName: 'AdministratorAccess', PolicyArn: ADMIN },
        { PolicyName: 'app-access', PolicyArn: custom },
      ]);
      const filtered = await iam.send(
        new ListAttachedRolePoliciesCommand({
          RoleName: 'app',
          PathPrefix: '/apps/',
        }),
      );
      expect(filtered.AttachedPolicies).toEqual([
        { PolicyName: 'app-access', PolicyArn: custom },
      ]);

      await iam.send(
        new DetachRolePolicyCommand({ RoleName: 'app', PolicyArn: custom }),
      );
      expect((await getPolicy(custom)).AttachmentCount).toBe(1);
      const notAttached = await iam
        .send(
          new DetachRolePolicyCommand({ RoleName: 'app', PolicyArn: custom }),
        )
        .catch(e => e);
      expect(notAttached).toBeInstanceOf(NoSuchEntityException);
      expect(notAttached.message).toBe(`Policy ${custom} was not found.`);
    });

    it('refuses customer managed policies that do not exist and ARNs that are malformed', async () => {
      await createRole('picky');
      const missing = await iam
        .send(
          new AttachRolePolicyCommand({
            RoleName: 'picky',
            PolicyArn: `arn:aws:iam::${CENTRAL}:policy/nope`,
          }),
        )
        .catch(e => e);
      expect(missing).toBeInstanceOf(NoSuchEntityException);

      for (const PolicyArn of [
        'arn:aws:iam::aws:role/AdministratorAccess',
        'not-an-arn-at-all-really',
      ]) {
        const malformed = await iam
          .send(new AttachRolePolicyCommand({ RoleName: 'picky', PolicyArn }))
          .catch(e => e);
        expect(malformed).toBeInstanceOf(InvalidInputException);
        expect(malformed.$metadata.httpStatusCode).toBe(400);
      }
      await expect(
        iam.send(
          new DetachRolePolicyCommand({
            RoleName: 'picky',
            PolicyArn: 'arn:aws:s3:::some-bucket/some-key',
          }),
        ),
      ).rejects.toBeInstanceOf(InvalidInputException);
      await expect(
        iam.send(
          new AttachRolePolicyCommand({ RoleName: 'ghost', PolicyArn: ADMIN }),
        ),
      ).rejects.toBeInstanceOf(NoSuchEntityException);
    });

    it('refuses an eleventh managed policy on a role', async () => {
      await createRole('crowded');
      for (let i = 0; i < 10; i++) {
        await iam.send(
          new AttachRolePolicyCommand({
            RoleName: 'crowded',
            PolicyArn: `arn:aws:iam::aws:policy/job-function/Policy${i}`,
          }),
        );
      }
      await expect(
        iam.send(
          new AttachRolePolicyCommand({
            RoleName: 'crowded',
            PolicyArn: ADMIN,
          }),
        ),
      ).rejects.toBeInstanceOf(LimitExceededException);

      const { items, pages } = await all(
        paginateListAttachedRolePolicies(
          { client: iam, pageSize: 4 },
          { RoleName: 'crowded' },
        ),
        page => page.AttachedPolicies,
      );
      expect(pages).toBe(3);
      expect(items.map(p => p.PolicyName)).toEqual(
        Array.from({ length: 10 }, (_, i) => `Policy${i}`),
      );
    });
  });

  describe('permissions boundaries', () => {
    it('sets and removes a boundary, counting its uses on the policy', async () => {
      const boundary = await createPolicy('boundary');
      await createRole('bounded', { PermissionsBoundary: boundary });
      await createRole('later');
      await iam.send(
        new PutRolePermissionsBoundaryCommand({
          RoleName: 'later',
          PermissionsBoundary: boundary,
        }),
      );
      expect(await getPolicy(boundary)).toMatchObject({
        PermissionsBoundaryUsageCount: 2,
        AttachmentCount: 0,
      });

      const { Role: role } = await iam.send(
        new GetRoleCommand({ RoleName: 'bounded' }),
      );
      expect(role!.PermissionsBoundary).toEqual({
        PermissionsBoundaryType: 'PermissionsBoundaryPolicy',
        PermissionsBoundaryArn: boundary,
      });

      await iam.send(
        new DeleteRolePermissionsBoundaryCommand({ RoleName: 'bounded' }),
      );
      // A role with only a boundary can be deleted; the count follows.
      await iam.send(new DeleteRoleCommand({ RoleName: 'later' }));
      expect((await getPolicy(boundary)).PermissionsBoundaryUsageCount).toBe(0);
      const { Role: unbounded } = await iam.send(
        new GetRoleCommand({ RoleName: 'bounded' }),
      );
      expect(unbounded!.PermissionsBoundary).toBeUndefined();

      // AWS managed policies can be boundaries too.
      await iam.send(
        new PutRolePermissionsBoundaryCommand({
          RoleName: 'bounded',
          PermissionsBoundary: READ_ONLY,
        }),
      );
    });

    it('refuses a boundary that does not exist', async () => {
      await createRole('hopeful');
      const missing = `arn:aws:iam::${CENTRAL}:policy/missing`;
      const error = await iam
        .send(
          new PutRolePermissionsBoundaryCommand({
            RoleName: 'hopeful',
            PermissionsBoundary: missing,
          }),
        )
        .catch(e => e);
      expect(error).toBeInstanceOf(NoSuchEntityException);
      await expect(
        createRole('bounded', { PermissionsBoundary: missing }),
      ).rejects.toBeInstanceOf(NoSuchEntityException);
      await expect(
        iam.send(
          new DeleteRolePermissionsBoundaryCommand({ RoleName: 'ghost' }),
        ),
      ).rejects.toBeInstanceOf(NoSuchEntityException);
    });
  });

  describe('managed policies', () => {
    it('creates a policy and describes it', async () => {
      const document = permissionsPolicy();
      const { Policy: created } = await iam.send(
        new CreatePolicyCommand({
          PolicyName: 'reader',
          Path: '/teams/data/',
          PolicyDocument: document,
          Description: 'Reads the bucket',
          Tags: [{ Key: 'team', Value: 'data' }],
        }),
      );
      expect(created).toMatchObject({
        PolicyName: 'reader',
        Path: '/teams/data/',
        Arn: `arn:aws:iam::${CENTRAL}:policy/teams/data/reader`,
        DefaultVersionId: 'v1',
        AttachmentCount: 0,
        PermissionsBoundaryUsageCount: 0,
        IsAttachable: true,
        Tags: [{ Key: 'team', Value: 'data' }],
      });
      expect(created!.PolicyId).toMatch(/^ANPA[A-Z2-7]{17}$/);
      expect(created!.CreateDate).toBeInstanceOf(Date);

      const policy = await getPolicy(created!.Arn!);
      expect(policy).toMatchObject({
        PolicyId: created!.PolicyId,
        Description: 'Reads the bucket',
      });
      expect(policy.UpdateDate).toBeInstanceOf(Date);

      const { PolicyVersion } = await iam.send(
        new GetPolicyVersionCommand({
          PolicyArn: created!.Arn,
          VersionId: 'v1',
        }),
      );
      expect(PolicyVersion).toMatchObject({
        VersionId: 'v1',
        IsDefaultVersion: true,
      });
      expect(decodeURIComponent(PolicyVersion!.Document!)).toBe(document);
    });

    it('refuses a second policy of the same name, even on another path', async () => {
      await createPolicy('unique', '/a/');
      const error = await createPolicy('UNIQUE', '/b/').catch(e => e);
      expect(error).toBeInstanceOf(EntityAlreadyExistsException);
      expect(error.$metadata.httpStatusCode).toBe(409);
    });

    it('refuses a policy document that is not a permissions policy', async () => {
      for (const PolicyDocument of [
        '{',
        '{"Version":"2012-10-17"}',
        trustPolicy(),
      ]) {
        await expect(
          iam.send(
            new CreatePolicyCommand({ PolicyName: 'broken', PolicyDocument }),
          ),
        ).rejects.toBeInstanceOf(MalformedPolicyDocumentException);
      }
    });

    it('answers NoSuchEntity for policies the account does not have', async () => {
      const missing = `arn:aws:iam::${CENTRAL}:policy/missing`;
      const error = await iam
        .send(new GetPolicyCommand({ PolicyArn: missing }))
        .catch(e => e);
      expect(error).toBeInstanceOf(NoSuchEntityException);
      expect(error.message).toBe(`Policy ${missing} was not found.`);
      await expect(
        iam.send(
          new GetPolicyVersionCommand({ PolicyArn: missing, VersionId: 'v1' }),
        ),
      ).rejects.toBeInstanceOf(NoSuchEntityException);
      await expect(
        iam.send(new ListPolicyVersionsCommand({ PolicyArn: missing })),
      ).rejects.toBeInstanceOf(NoSuchEntityException);
      await expect(
        iam.send(
          new GetPolicyCommand({ PolicyArn: 'arn:aws:iam::12:policy/x' }),
        ),
      ).rejects.toBeInstanceOf(InvalidInputException);
    });

    it('describes an AWS managed policy from its ARN, and refuses to change it', async () => {
      await createRole('admin');
      await iam.send(
        new AttachRolePolicyCommand({ RoleName: 'admin', PolicyArn: ADMIN }),
      );
      const policy = await getPolicy(ADMIN);
      expect(policy).toMatchObject({
        PolicyName: 'AdministratorAccess',
        Arn: ADMIN,
        Path: '/',
        AttachmentCount: 1,
        IsAttachable: true,
      });
      expect((await getPolicy(ADMIN)).PolicyId).toBe(policy.PolicyId);

      const error = await iam
        .send(
          new CreatePolicyVersionCommand({
            PolicyArn: ADMIN,
            PolicyDocument: permissionsPolicy(),
          }),
        )
        .catch(e => e);
      expect(error.name).toBe('AccessDenied');
      expect(error.$metadata.httpStatusCode).toBe(403);
    });
  });

  describe('policy versions', () => {
    it('adds versions, moves the default, keeps at most five and never deletes the default', async () => {
      const arn = await createPolicy('versioned');
      const v2 = await iam.send(
        new CreatePolicyVersionCommand({
          PolicyArn: arn,
          PolicyDocument: permissionsPolicy('s3:A'),
        }),
      );
      expect(v2.PolicyVersion).toMatchObject({
        VersionId: 'v2',
        IsDefaultVersion: false,
      });
      expect(v2.PolicyVersion!.CreateDate).toBeInstanceOf(Date);
      expect(v2.PolicyVersion!.Document).toBeUndefined();
      expect((await getPolicy(arn)).DefaultVersionId).toBe('v1');

      const v3Document = permissionsPolicy('s3:B');
      const v3 = await iam.send(
        new CreatePolicyVersionCommand({
          PolicyArn: arn,
          PolicyDocument: v3Document,
          SetAsDefault: true,
        }),
      );
      expect(v3.PolicyVersion).toMatchObject({
        VersionId: 'v3',
        IsDefaultVersion: true,
      });
      expect((await getPolicy(arn)).DefaultVersionId).toBe('v3');
      const { PolicyVersion: read } = await iam.send(
        new GetPolicyVersionCommand({ PolicyArn: arn, VersionId: 'v3' }),
      );
      expect(decodeURIComponent(read!.Document!)).toBe(v3Document);
      const { PolicyVersion: old } = await iam.send(
        new GetPolicyVersionCommand({ PolicyArn: arn, VersionId: 'v1' }),
      );
      expect(old!.IsDefaultVersion).toBe(false);

      for (const action of ['s3:C', 's3:D']) {
        await iam.send(
          new CreatePolicyVersionCommand({
            PolicyArn: arn,
            PolicyDocument: permissionsPolicy(action),
          }),
        );
      }
      const sixth = await iam
        .send(
          new CreatePolicyVersionCommand({
            PolicyArn: arn,
            PolicyDocument: permissionsPolicy(),
          }),
        )
        .catch(e => e);
      expect(sixth).toBeInstanceOf(LimitExceededException);
      expect(sixth.$metadata.httpStatusCode).toBe(409);

      const { Versions } = await iam.send(
        new ListPolicyVersionsCommand({ PolicyArn: arn }),
      );
      expect(Versions!.map(v => [v.VersionId, v.IsDefaultVersion])).toEqual([
        ['v5', false],
        ['v4', false],
        ['v3', true],
        ['v2', false],
        ['v1', false],
      ]);

      const deleteDefault = await iam
        .send(
          new DeletePolicyVersionCommand({ PolicyArn: arn, VersionId: 'v3' }),
        )
        .catch(e => e);
      expect(deleteDefault).toBeInstanceOf(DeleteConflictException);
      expect(deleteDefault.$metadata.httpStatusCode).toBe(409);

      await iam.send(
        new DeletePolicyVersionCommand({ PolicyArn: arn, VersionId: 'v2' }),
      );
      await expect(
        iam.send(
          new GetPolicyVersionCommand({ PolicyArn: arn, VersionId: 'v2' }),
        ),
      ).rejects.toBeInstanceOf(NoSuchEntityException);
      await expect(
        iam.send(
          new DeletePolicyVersionCommand({ PolicyArn: arn, VersionId: 'v2' }),
        ),
      ).rejects.toBeInstanceOf(NoSuchEntityException);

      // Ids are not reused: the next version after v5 is v6, even with v2 gone.
      const v6 = await iam.send(
        new CreatePolicyVersionCommand({
          PolicyArn: arn,
          PolicyDocument: permissionsPolicy(),
        }),
      );
      expect(v6.PolicyVersion!.VersionId).toBe('v6');

      const { items, pages } = await all(
        paginateListPolicyVersions(
          { client: iam, pageSize: 2 },
          { PolicyArn: arn },
        ),
        page => page.Versions,
      );
      expect(pages).toBe(3);
      expect(items.map(v => v.VersionId)).toEqual([
        'v6',
        'v5',
        'v4',
        'v3',
        'v1',
      ]);
    });

    it('refuses a malformed document for a new version', async () => {
      const arn = await createPolicy('strict-versions');
      await expect(
        iam.send(
          new CreatePolicyVersionCommand({
            PolicyArn: arn,
            PolicyDocument: 'nope',
          }),
        ),
      ).rejects.toBeInstanceOf(MalformedPolicyDocumentException);
    });
  });

  describe('bad requests', () => {
    it('answers ValidationError for a missing required member', async () => {
      const message = await validationError(
        iam.send(new GetRoleCommand({} as any)),
      );
      expect(message).toBe(
        "1 validation error detected: Value at 'RoleName' failed to satisfy constraint: Member must not be null",
      );
    });

    it('answers ValidationError for a MaxItems that is not a number or out of range', async () => {
      await createRole('listed');
      const notNumber = await validationError(
        iam.send(
          new ListRolePoliciesCommand({
            RoleName: 'listed',
            MaxItems: 'abc' as any,
          }),
        ),
      );
      expect(notNumber).toContain("'MaxItems'");
      const tooMany = await validationError(
        iam.send(
          new ListRolePoliciesCommand({ RoleName: 'listed', MaxItems: 1001 }),
        ),
      );
      expect(tooMany).toContain(
        'Member must have value less than or equal to 1000',
      );
    });

    it('answers ValidationError for names, paths, durations and tags that break the rules', async () => {
      expect(await validationError(createRole('has space'))).toContain(
        'Member must satisfy regular expression pattern: [\\w+=,.@-]+',
      );
      expect(await validationError(createRole('x'.repeat(65)))).toContain(
        'Member must have length less than or equal to 64',
      );
      expect(
        await validationError(createRole('pathless', { Path: 'team' })),
      ).toContain("'Path'");
      expect(
        await validationError(createRole('short', { MaxSessionDuration: 60 })),
      ).toContain(
        "'MaxSessionDuration' failed to satisfy constraint: Member must have value greater than or equal to 3600",
      );
      expect(
        await validationError(
          createRole('long-key', {
            Tags: [{ Key: 'k'.repeat(129), Value: 'v' }],
          }),
        ),
      ).toContain("'Tags.member.1.Key'");
      expect(
        await validationError(
          createRole('odd-tag', {
            Tags: [
              { Key: 'fine', Value: 'v' },
              { Key: 'fine-too', Value: 'no!' },
            ],
          }),
        ),
      ).toBe(
        "1 validation error detected: Value at 'Tags.member.2.Value' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*",
      );
      expect(
        await validationError(
          iam.send(
            new GetPolicyVersionCommand({ PolicyArn: ADMIN, VersionId: 'one' }),
          ),
        ),
      ).toContain("'VersionId'");
    });

    it('refuses a Marker that another list handed out', async () => {
      await createRole('one');
      await createRole('two');
      for (const PolicyName of ['a', 'b']) {
        await iam.send(
          new PutRolePolicyCommand({
            RoleName: 'one',
            PolicyName,
            PolicyDocument: permissionsPolicy(),
          }),
        );
      }
      const { Marker } = await iam.send(
        new ListRolePoliciesCommand({ RoleName: 'one', MaxItems: 1 }),
      );
      await expect(
        iam.send(new ListRolePoliciesCommand({ RoleName: 'two', Marker })),
      ).rejects.toBeInstanceOf(InvalidInputException);
    });

    it('refuses credentials it never issued', async () => {
      const stranger = client({
        accessKeyId: 'AKIAUNKNOWN000000000',
        secretAccessKey: 'nope',
      });
      const error = await stranger
        .send(new GetRoleCommand({ RoleName: 'any' }))
        .catch(e => e);
      stranger.destroy();
      expect(error.name).toBe('InvalidClientTokenId');
      expect(error.message).toBe(
        'The security token included in the request is invalid.',
      );
      expect(error.$metadata.httpStatusCode).toBe(403);
    });

    it('answers unknown operations and expired credentials as IAM does', async () => {
      const caller = { accessKeyId: CENTRAL_KEYS.accessKeyId };
      const unknown = await running.sandbox
        .invoke(iamService, 'ListUnicorns', caller, {})
        .catch(e => e);
      expect(unknown).toBeInstanceOf(AwsError);
      expect(unknown).toMatchObject({
        code: 'InvalidAction',
        message: 'Could not find operation ListUnicorns for version 2010-05-08',
        statusCode: 400,
      });

      const principal = running.sandbox.state.credentials.get(
        CENTRAL_KEYS.accessKeyId,
      )!.principal;
      running.sandbox.state.credentials.set('ASIAEXPIRED000000001', {
        accessKeyId: 'ASIAEXPIRED000000001',
        secretAccessKey: 'expired',
        sessionToken: 'token',
        expiresAt: 0,
        principal,
      });
      const expired = await running.sandbox
        .invoke(
          iamService,
          'GetRole',
          { accessKeyId: 'ASIAEXPIRED000000001', sessionToken: 'token' },
          {},
        )
        .catch(e => e);
      expect(expired).toMatchObject({
        code: 'ExpiredToken',
        message: 'The security token included in the request is expired',
        statusCode: 403,
      });
      expect(iamService.throttled).toBe(false);
      expect(iamService.throttledError()).toMatchObject({
        code: 'Throttling',
        message: 'Rate exceeded',
      });
    });
  });

  describe('accounts', () => {
    it("keeps each account's IAM apart", async () => {
      await createRole('shared-name', { Description: 'central' });
      const centralPolicy = await createPolicy('central-only');

      await expect(
        otherIam.send(new GetRoleCommand({ RoleName: 'shared-name' })),
      ).rejects.toBeInstanceOf(NoSuchEntityException);

      const { Role: otherRole } = await otherIam.send(
        new CreateRoleCommand({
          RoleName: 'shared-name',
          AssumeRolePolicyDocument: trustPolicy(OTHER),
          Description: 'other',
        }),
      );
      expect(otherRole!.Arn).toBe(`arn:aws:iam::${OTHER}:role/shared-name`);
      const { Role: centralRole } = await iam.send(
        new GetRoleCommand({ RoleName: 'shared-name' }),
      );
      expect(centralRole!.Description).toBe('central');

      await expect(
        otherIam.send(new GetPolicyCommand({ PolicyArn: centralPolicy })),
      ).rejects.toBeInstanceOf(NoSuchEntityException);
      await expect(
        otherIam.send(
          new AttachRolePolicyCommand({
            RoleName: 'shared-name',
            PolicyArn: centralPolicy,
          }),
        ),
      ).rejects.toBeInstanceOf(NoSuchEntityException);
      // The same policy name is free in the other account.
      const otherPolicy = await otherIam
        .send(
          new CreatePolicyCommand({
            PolicyName: 'central-only',
            PolicyDocument: permissionsPolicy(),
          }),
        )
        .then(out => out.Policy!.Arn);
      expect(otherPolicy).toBe(`arn:aws:iam::${OTHER}:policy/central-only`);
    });
  });
});
