import {
  AccessDeniedException,
  AttachPolicyCommand,
  AWSOrganizationsNotInUseException,
  ConstraintViolationException,
  CreateAccountCommand,
  CreateOrganizationalUnitCommand,
  CreatePolicyCommand,
  DeleteOrganizationalUnitCommand,
  DeletePolicyCommand,
  DescribePolicyCommand,
  DetachPolicyCommand,
  DisablePolicyTypeCommand,
  DuplicatePolicyAttachmentException,
  DuplicatePolicyException,
  EnablePolicyTypeCommand,
  InvalidInputException,
  ListPoliciesCommand,
  ListPoliciesForTargetCommand,
  ListRootsCommand,
  ListTagsForResourceCommand,
  ListTargetsForPolicyCommand,
  MalformedPolicyDocumentException,
  OrganizationsClient,
  PolicyInUseException,
  PolicyNotAttachedException,
  PolicyNotFoundException,
  PolicyTypeAlreadyEnabledException,
  PolicyTypeNotEnabledException,
  RootNotFoundException,
  TagResourceCommand,
  TargetNotFoundException,
  UntagResourceCommand,
  UpdatePolicyCommand,
} from '@aws-sdk/client-organizations';
import { RunningSandbox, startSandbox } from '../../server';
import {
  assumeRole,
  BOOTSTRAP_ROLE,
  CENTRAL,
  clientConfig,
  minterOrganizations,
  testSeed,
} from '../../__testUtils__/sandbox';

// The tests call a sandbox server over HTTP: generous, so that a loaded machine is slow,
// never failing.
jest.setTimeout(60_000);

const SCP = 'SERVICE_CONTROL_POLICY';
const FULL_AWS_ACCESS = 'p-FullAWSAccess';

const denyDocument = (action: string) =>
  JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Effect: 'Deny', Action: action, Resource: '*' }],
  });

describe('Organizations policies', () => {
  let running: RunningSandbox;
  let orgs: OrganizationsClient;
  let rootId: string;

  beforeEach(async () => {
    running = await startSandbox({ port: 0, seed: testSeed() });
    orgs = await minterOrganizations(running.endpoint);
    rootId = (await orgs.send(new ListRootsCommand({}))).Roots![0].Id!;
  });

  afterEach(() => running.close());

  const enableScps = () =>
    orgs.send(new EnablePolicyTypeCommand({ RootId: rootId, PolicyType: SCP }));

  const createPolicy = (Name: string, Content = denyDocument('iam:*')) =>
    orgs
      .send(
        new CreatePolicyCommand({
          Name,
          Description: `${Name} policy`,
          Type: SCP,
          Content,
        }),
      )
      .then(r => r.Policy!.PolicySummary!);

  const createOu = (Name: string) =>
    orgs
      .send(new CreateOrganizationalUnitCommand({ ParentId: rootId, Name }))
      .then(r => r.OrganizationalUnit!.Id!);

  const createAccount = async (name: string) => {
    const { CreateAccountStatus } = await orgs.send(
      new CreateAccountCommand({
        AccountName: name,
        Email: `${name}@example.com`,
      }),
    );
    return CreateAccountStatus!.AccountId!;
  };

  const policyIdsFor = async (TargetId: string) =>
    (
      await orgs.send(
        new ListPoliciesForTargetCommand({ TargetId, Filter: SCP }),
      )
    ).Policies!.map(p => p.Id);

  const errorOf = (promise: Promise<unknown>) =>
    promise.then(
      () => {
        throw new Error('the call succeeded');
      },
      e => e,
    );

  it('starts with SCPs disabled and FullAWSAccess listed, and enables them once', async () => {
    const { Roots } = await orgs.send(new ListRootsCommand({}));
    expect(Roots![0].PolicyTypes).toEqual([]);
    const { Policies } = await orgs.send(
      new ListPoliciesCommand({ Filter: SCP }),
    );
    expect(Policies).toEqual([
      {
        Id: FULL_AWS_ACCESS,
        Arn: 'arn:aws:organizations::aws:policy/service_control_policy/p-FullAWSAccess',
        Name: 'FullAWSAccess',
        Description: 'Allows access to every operation',
        Type: SCP,
        AwsManaged: true,
      },
    ]);

    const { Root } = await enableScps();
    expect(Root!.PolicyTypes).toEqual([{ Type: SCP, Status: 'ENABLED' }]);
    const listed = await orgs.send(new ListRootsCommand({}));
    expect(listed.Roots![0].PolicyTypes).toEqual([
      { Type: SCP, Status: 'ENABLED' },
    ]);
    await expect(enableScps()).rejects.toBeInstanceOf(
      PolicyTypeAlreadyEnabledException,
    );
    await expect(
      orgs.send(
        new EnablePolicyTypeCommand({ RootId: 'r-zzzz', PolicyType: SCP }),
      ),
    ).rejects.toBeInstanceOf(RootNotFoundException);
  });

  it('attaches FullAWSAccess to the root, every OU and account on enabling, and to new ones after', async () => {
    const ouBefore = await createOu('before');
    const accountBefore = await createAccount('before');
    await enableScps();
    for (const target of [rootId, ouBefore, accountBefore, '200000000001']) {
      expect(await policyIdsFor(target)).toEqual([FULL_AWS_ACCESS]);
    }
    const ouAfter = await createOu('after');
    const accountAfter = await createAccount('after');
    expect(await policyIdsFor(ouAfter)).toEqual([FULL_AWS_ACCESS]);
    expect(await policyIdsFor(accountAfter)).toEqual([FULL_AWS_ACCESS]);

    const { Targets } = await orgs.send(
      new ListTargetsForPolicyCommand({ PolicyId: FULL_AWS_ACCESS }),
    );
    expect(Targets!.map(t => t.Type).sort()).toEqual([
      'ACCOUNT',
      'ACCOUNT',
      'ACCOUNT',
      'ORGANIZATIONAL_UNIT',
      'ORGANIZATIONAL_UNIT',
      'ROOT',
    ]);
    expect(Targets!.find(t => t.TargetId === ouAfter)).toMatchObject({
      Name: 'after',
      Arn: expect.stringMatching(/^arn:aws:organizations::200000000001:ou\//),
    });
  });

  it('creates, describes, updates and deletes customer policies with ARNs like AWS', async () => {
    const created = await orgs.send(
      new CreatePolicyCommand({
        Name: 'deny-iam',
        Description: 'No IAM',
        Type: SCP,
        Content: denyDocument('iam:*'),
        Tags: [{ Key: 'team', Value: 'platform' }],
      }),
    );
    const summary = created.Policy!.PolicySummary!;
    expect(summary.Id).toMatch(/^p-[0-9a-z]{8,128}$/);
    expect(summary.Arn).toMatch(
      new RegExp(
        `^arn:aws:organizations::200000000001:policy/o-[a-z0-9]+/service_control_policy/${summary.Id}$`,
      ),
    );
    expect(summary).toMatchObject({
      Name: 'deny-iam',
      Description: 'No IAM',
      Type: SCP,
      AwsManaged: false,
    });
    expect(created.Policy!.Content).toBe(denyDocument('iam:*'));

    const described = await orgs.send(
      new DescribePolicyCommand({ PolicyId: summary.Id }),
    );
    expect(described.Policy).toEqual(created.Policy);
    const tags = await orgs.send(
      new ListTagsForResourceCommand({ ResourceId: summary.Id }),
    );
    expect(tags.Tags).toEqual([{ Key: 'team', Value: 'platform' }]);
    await orgs.send(
      new TagResourceCommand({
        ResourceId: summary.Id,
        Tags: [{ Key: 'owner', Value: 'sec' }],
      }),
    );
    await orgs.send(
      new UntagResourceCommand({ ResourceId: summary.Id, TagKeys: ['team'] }),
    );
    expect(
      (
        await orgs.send(
          new ListTagsForResourceCommand({ ResourceId: summary.Id }),
        )
      ).Tags,
    ).toEqual([{ Key: 'owner', Value: 'sec' }]);

    const updated = await orgs.send(
      new UpdatePolicyCommand({
        PolicyId: summary.Id,
        Name: 'deny-s3',
        Content: denyDocument('s3:*'),
      }),
    );
    expect(updated.Policy!.PolicySummary).toMatchObject({
      Name: 'deny-s3',
      Description: 'No IAM',
    });
    expect(updated.Policy!.Content).toBe(denyDocument('s3:*'));

    await orgs.send(new DeletePolicyCommand({ PolicyId: summary.Id }));
    await expect(
      orgs.send(new DescribePolicyCommand({ PolicyId: summary.Id })),
    ).rejects.toBeInstanceOf(PolicyNotFoundException);
    const { Policies } = await orgs.send(
      new ListPoliciesCommand({ Filter: SCP }),
    );
    expect(Policies!.map(p => p.Id)).toEqual([FULL_AWS_ACCESS]);
  });

  it('refuses duplicate names, malformed documents, oversized documents and changes to FullAWSAccess', async () => {
    const first = await createPolicy('deny-iam');
    await expect(createPolicy('deny-iam')).rejects.toBeInstanceOf(
      DuplicatePolicyException,
    );
    const second = await createPolicy('deny-s3', denyDocument('s3:*'));
    await expect(
      orgs.send(
        new UpdatePolicyCommand({ PolicyId: second.Id, Name: 'deny-iam' }),
      ),
    ).rejects.toBeInstanceOf(DuplicatePolicyException);

    for (const content of [
      '{not json',
      '[]',
      JSON.stringify({ Version: '2012-10-17' }),
      JSON.stringify({ Statement: [{ Effect: 'Maybe', Action: '*' }] }),
      JSON.stringify({
        Statement: [{ Effect: 'Deny', Action: '*', Principal: '*' }],
      }),
    ]) {
      const error = await errorOf(createPolicy('bad', content));
      expect(error).toBeInstanceOf(MalformedPolicyDocumentException);
    }
    await expect(
      orgs.send(
        new UpdatePolicyCommand({ PolicyId: first.Id, Content: '{oops' }),
      ),
    ).rejects.toBeInstanceOf(MalformedPolicyDocumentException);

    const padded = JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'x'.repeat(5100),
          Effect: 'Deny',
          Action: 'iam:*',
          Resource: '*',
        },
      ],
    });
    expect(padded.length).toBeGreaterThan(5120);
    const tooBig = await errorOf(createPolicy('big', padded));
    expect(tooBig).toBeInstanceOf(ConstraintViolationException);
    expect(tooBig.Reason).toBe('POLICY_CONTENT_LIMIT_EXCEEDED');

    for (const change of [
      orgs.send(
        new UpdatePolicyCommand({ PolicyId: FULL_AWS_ACCESS, Name: 'mine' }),
      ),
      orgs.send(new DeletePolicyCommand({ PolicyId: FULL_AWS_ACCESS })),
    ]) {
      const error = await errorOf(change);
      expect(error).toBeInstanceOf(InvalidInputException);
      expect(error.Reason).toBe('IMMUTABLE_POLICY');
    }
    await expect(
      orgs.send(new DescribePolicyCommand({ PolicyId: 'p-00000000' })),
    ).rejects.toBeInstanceOf(PolicyNotFoundException);
  });

  it('stops at 1,000 policies of a type, FullAWSAccess counting', async () => {
    const organization = [...running.sandbox.state.organizations.values()][0];
    organization.policies = Array.from({ length: 998 }, (_, i) => ({
      id: `p-filler${String(i).padStart(4, '0')}`,
      arn: `arn:aws:organizations::200000000001:policy/${organization.id}/service_control_policy/p-filler${i}`,
      name: `filler-${i}`,
      description: '',
      type: SCP,
      content: denyDocument('iam:*'),
      tags: {},
    }));
    await createPolicy('the-thousandth');
    const error = await errorOf(createPolicy('one-too-many'));
    expect(error).toBeInstanceOf(ConstraintViolationException);
    expect(error.Reason).toBe('POLICY_NUMBER_LIMIT_EXCEEDED');
  });

  it('attaches and detaches with the errors and limits of AWS', async () => {
    const policy = await createPolicy('deny-iam');
    const ou = await createOu('workloads');
    const before = await errorOf(
      orgs.send(new AttachPolicyCommand({ PolicyId: policy.Id, TargetId: ou })),
    );
    expect(before).toBeInstanceOf(PolicyTypeNotEnabledException);

    await enableScps();
    await orgs.send(
      new AttachPolicyCommand({ PolicyId: policy.Id, TargetId: ou }),
    );
    expect(await policyIdsFor(ou)).toEqual([FULL_AWS_ACCESS, policy.Id]);
    await expect(
      orgs.send(new AttachPolicyCommand({ PolicyId: policy.Id, TargetId: ou })),
    ).rejects.toBeInstanceOf(DuplicatePolicyAttachmentException);
    await expect(
      orgs.send(
        new AttachPolicyCommand({
          PolicyId: policy.Id,
          TargetId: '999999999999',
        }),
      ),
    ).rejects.toBeInstanceOf(TargetNotFoundException);
    await expect(
      orgs.send(
        new AttachPolicyCommand({ PolicyId: 'p-missing0', TargetId: ou }),
      ),
    ).rejects.toBeInstanceOf(PolicyNotFoundException);
    await expect(
      orgs.send(new DeletePolicyCommand({ PolicyId: policy.Id })),
    ).rejects.toBeInstanceOf(PolicyInUseException);

    // Five SCPs on a target at most, FullAWSAccess counting.
    for (const name of ['two', 'three', 'four']) {
      const extra = await createPolicy(name);
      await orgs.send(
        new AttachPolicyCommand({ PolicyId: extra.Id, TargetId: ou }),
      );
    }
    const sixth = await createPolicy('six');
    const tooMany = await errorOf(
      orgs.send(new AttachPolicyCommand({ PolicyId: sixth.Id, TargetId: ou })),
    );
    expect(tooMany).toBeInstanceOf(ConstraintViolationException);
    expect(tooMany.Reason).toBe('MAX_POLICY_TYPE_ATTACHMENT_LIMIT_EXCEEDED');

    await expect(
      orgs.send(new DetachPolicyCommand({ PolicyId: sixth.Id, TargetId: ou })),
    ).rejects.toBeInstanceOf(PolicyNotAttachedException);
    const { Targets } = await orgs.send(
      new ListTargetsForPolicyCommand({ PolicyId: policy.Id }),
    );
    expect(Targets).toEqual([
      {
        TargetId: ou,
        Arn: expect.stringContaining(`:ou/`),
        Name: 'workloads',
        Type: 'ORGANIZATIONAL_UNIT',
      },
    ]);

    // The last SCP of a target stays: the root has only FullAWSAccess.
    const last = await errorOf(
      orgs.send(
        new DetachPolicyCommand({
          PolicyId: FULL_AWS_ACCESS,
          TargetId: rootId,
        }),
      ),
    );
    expect(last).toBeInstanceOf(ConstraintViolationException);
    expect(last.Reason).toBe('MIN_POLICY_TYPE_ATTACHMENT_LIMIT_EXCEEDED');

    await orgs.send(
      new DetachPolicyCommand({ PolicyId: policy.Id, TargetId: ou }),
    );
    await orgs.send(new DeletePolicyCommand({ PolicyId: policy.Id }));
    expect(await policyIdsFor(ou)).not.toContain(policy.Id);
  });

  it('detaches everything when SCPs are disabled, and starts again from FullAWSAccess', async () => {
    const policy = await createPolicy('deny-iam');
    const ou = await createOu('workloads');
    await enableScps();
    await orgs.send(
      new AttachPolicyCommand({ PolicyId: policy.Id, TargetId: ou }),
    );
    const { Root } = await orgs.send(
      new DisablePolicyTypeCommand({ RootId: rootId, PolicyType: SCP }),
    );
    expect(Root!.PolicyTypes).toEqual([]);
    expect(await policyIdsFor(ou)).toEqual([]);
    await expect(
      orgs.send(
        new DisablePolicyTypeCommand({ RootId: rootId, PolicyType: SCP }),
      ),
    ).rejects.toBeInstanceOf(PolicyTypeNotEnabledException);
    // The policy survives; re-enabling attaches only FullAWSAccess.
    await orgs.send(new DescribePolicyCommand({ PolicyId: policy.Id }));
    await enableScps();
    expect(await policyIdsFor(ou)).toEqual([FULL_AWS_ACCESS]);

    // A deleted OU takes its attachments with it.
    await orgs.send(
      new DeleteOrganizationalUnitCommand({ OrganizationalUnitId: ou }),
    );
    const { Targets } = await orgs.send(
      new ListTargetsForPolicyCommand({ PolicyId: FULL_AWS_ACCESS }),
    );
    expect(Targets!.map(t => t.TargetId)).not.toContain(ou);
  });

  it('answers members AccessDenied and outsiders AWSOrganizationsNotInUse', async () => {
    const accountId = await createAccount('member');
    const member = new OrganizationsClient(
      clientConfig(
        running.endpoint,
        await assumeRole(
          running.endpoint,
          await assumeRole(running.endpoint, CENTRAL, BOOTSTRAP_ROLE),
          `arn:aws:iam::${accountId}:role/OrganizationAccountAccessRole`,
        ),
      ),
    );
    const outsider = new OrganizationsClient(
      clientConfig(running.endpoint, CENTRAL),
    );
    const calls = [
      (c: OrganizationsClient) =>
        c.send(new ListPoliciesCommand({ Filter: SCP })),
      (c: OrganizationsClient) =>
        c.send(
          new CreatePolicyCommand({
            Name: 'x',
            Description: '',
            Type: SCP,
            Content: denyDocument('iam:*'),
          }),
        ),
      (c: OrganizationsClient) =>
        c.send(
          new EnablePolicyTypeCommand({ RootId: rootId, PolicyType: SCP }),
        ),
      (c: OrganizationsClient) =>
        c.send(
          new AttachPolicyCommand({
            PolicyId: FULL_AWS_ACCESS,
            TargetId: rootId,
          }),
        ),
    ];
    for (const call of calls) {
      await expect(call(member)).rejects.toBeInstanceOf(AccessDeniedException);
      await expect(call(outsider)).rejects.toBeInstanceOf(
        AWSOrganizationsNotInUseException,
      );
    }
  });
});
