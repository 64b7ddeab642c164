import {
  AccessDeniedException,
  AccountAlreadyClosedException,
  AccountNotFoundException,
  AlreadyInOrganizationException,
  AWSOrganizationsNotInUseException,
  ChildNotFoundException,
  CloseAccountCommand,
  ConstraintViolationException,
  CreateAccountCommand,
  CreateAccountStatusNotFoundException,
  CreateOrganizationalUnitCommand,
  CreateOrganizationCommand,
  DeleteOrganizationalUnitCommand,
  DescribeAccountCommand,
  DescribeCreateAccountStatusCommand,
  DescribeOrganizationalUnitCommand,
  DescribeOrganizationCommand,
  DestinationParentNotFoundException,
  DuplicateAccountException,
  DuplicateOrganizationalUnitException,
  InvalidInputException,
  ListAccountsForParentCommand,
  ListChildrenCommand,
  ListCreateAccountStatusCommand,
  ListParentsCommand,
  ListRootsCommand,
  ListTagsForResourceCommand,
  MoveAccountCommand,
  OrganizationalUnitNotEmptyException,
  OrganizationalUnitNotFoundException,
  OrganizationsClient,
  paginateListAccounts,
  paginateListChildren,
  paginateListOrganizationalUnitsForParent,
  ParentNotFoundException,
  SourceParentNotFoundException,
  TagResourceCommand,
  TargetNotFoundException,
  TooManyRequestsException,
  UntagResourceCommand,
  UpdateOrganizationalUnitCommand,
} from '@aws-sdk/client-organizations';
import { ManualClock } from '../../clock';
import { PROFILES } from '../../profiles';
import { RunningSandbox, startSandbox } from '../../server';
import {
  assumeRole,
  CENTRAL,
  clientConfig,
  testSeed,
  minterOrganizations,
} from '../../__testUtils__/sandbox';

async function collect<T>(pages: AsyncIterable<T>): Promise<T[]> {
  const all: T[] = [];
  for await (const p of pages) all.push(p);
  return all;
}

// The tests call a sandbox server over HTTP: generous, so that a loaded machine is slow,
// never failing.
jest.setTimeout(60_000);

describe('Organizations', () => {
  let running: RunningSandbox;
  let orgs: OrganizationsClient;
  let rootId: string;

  beforeEach(async () => {
    running = await startSandbox({ port: 0, seed: testSeed() });
    orgs = await minterOrganizations(running.endpoint);
    rootId = (await orgs.send(new ListRootsCommand({}))).Roots![0].Id!;
  });

  afterEach(() => running.close());

  const createOu = (ParentId: string, Name: string) =>
    orgs
      .send(new CreateOrganizationalUnitCommand({ ParentId, Name }))
      .then(r => r.OrganizationalUnit!);

  const createAccount = async (
    AccountName: string,
    Email = `${AccountName}@example.com`,
  ) => {
    const { CreateAccountStatus } = await orgs.send(
      new CreateAccountCommand({ AccountName, Email }),
    );
    return orgs
      .send(
        new DescribeCreateAccountStatusCommand({
          CreateAccountRequestId: CreateAccountStatus!.Id!,
        }),
      )
      .then(r => r.CreateAccountStatus!);
  };

  it('describes the organization and its root to the management account', async () => {
    const { Organization } = await orgs.send(
      new DescribeOrganizationCommand({}),
    );
    expect(Organization).toMatchObject({
      Id: expect.stringMatching(/^o-[a-z0-9]{10}$/),
      MasterAccountId: '200000000001',
      MasterAccountEmail: 'control@example.com',
      FeatureSet: 'ALL',
    });
    expect(rootId).toMatch(/^r-[a-z0-9]{4}$/);
  });

  it('creates, renames, describes and deletes OUs, and refuses duplicates per parent', async () => {
    const platform = await createOu(rootId, 'rosa-regional-platform');
    expect(platform.Arn).toMatch(
      /^arn:aws:organizations::200000000001:ou\/o-[a-z0-9]+\/ou-/,
    );

    await expect(
      createOu(rootId, 'rosa-regional-platform'),
    ).rejects.toBeInstanceOf(DuplicateOrganizationalUnitException);
    // The same name under another parent is fine.
    const prod = await createOu(platform.Id!, 'prod');
    await createOu(prod.Id!, 'rosa-regional-platform');

    await orgs.send(
      new UpdateOrganizationalUnitCommand({
        OrganizationalUnitId: prod.Id!,
        Name: 'production',
      }),
    );
    const { OrganizationalUnit } = await orgs.send(
      new DescribeOrganizationalUnitCommand({ OrganizationalUnitId: prod.Id! }),
    );
    expect(OrganizationalUnit!.Name).toBe('production');

    await expect(
      orgs.send(
        new DeleteOrganizationalUnitCommand({
          OrganizationalUnitId: platform.Id!,
        }),
      ),
    ).rejects.toBeInstanceOf(OrganizationalUnitNotEmptyException);
    const empty = await createOu(rootId, 'empty');
    await orgs.send(
      new DeleteOrganizationalUnitCommand({ OrganizationalUnitId: empty.Id! }),
    );
    await expect(
      orgs.send(
        new DescribeOrganizationalUnitCommand({
          OrganizationalUnitId: empty.Id!,
        }),
      ),
    ).rejects.toBeInstanceOf(OrganizationalUnitNotFoundException);
  });

  it('stops OUs at five levels below the root, and unknown parents', async () => {
    let parent = rootId;
    for (let level = 1; level <= 5; level++)
      parent = (await createOu(parent, `level-${level}`)).Id!;
    const error = await createOu(parent, 'level-6').catch(e => e);
    expect(error).toBeInstanceOf(ConstraintViolationException);
    expect(error.Reason).toBe('OU_DEPTH_LIMIT_EXCEEDED');

    await expect(createOu('ou-zzzz-zzzzzzzz', 'orphan')).rejects.toBeInstanceOf(
      ParentNotFoundException,
    );
  });

  it('creates accounts in the root with the tags asked for, and reports failures as AWS does', async () => {
    const status = await createAccount('prod-us-east-1-rc');
    expect(status).toMatchObject({
      State: 'SUCCEEDED',
      AccountName: 'prod-us-east-1-rc',
    });
    expect(status.AccountId).toMatch(/^\d{12}$/);
    expect(status.CompletedTimestamp).toBeInstanceOf(Date);

    const { Account } = await orgs.send(
      new DescribeAccountCommand({ AccountId: status.AccountId! }),
    );
    expect(Account).toMatchObject({
      Email: 'prod-us-east-1-rc@example.com',
      Status: 'ACTIVE',
      JoinedMethod: 'CREATED',
    });
    const { Parents } = await orgs.send(
      new ListParentsCommand({ ChildId: status.AccountId! }),
    );
    expect(Parents).toEqual([{ Id: rootId, Type: 'ROOT' }]);

    const duplicate = await createAccount(
      'again',
      'prod-us-east-1-rc@example.com',
    );
    expect(duplicate).toMatchObject({
      State: 'FAILED',
      FailureReason: 'EMAIL_ALREADY_EXISTS',
    });

    await expect(
      orgs.send(
        new DescribeCreateAccountStatusCommand({
          CreateAccountRequestId: 'car-00000000000000000000000000000000',
        }),
      ),
    ).rejects.toBeInstanceOf(CreateAccountStatusNotFoundException);
    await expect(
      orgs.send(new DescribeAccountCommand({ AccountId: '999999999999' })),
    ).rejects.toBeInstanceOf(AccountNotFoundException);
  });

  it('fails creations past the account quota, counting the management account', async () => {
    await running.close();
    running = await startSandbox({
      port: 0,
      seed: testSeed({ accountQuota: 2 }),
    });
    orgs = await minterOrganizations(running.endpoint);
    expect((await createAccount('first')).State).toBe('SUCCEEDED');
    expect(await createAccount('second')).toMatchObject({
      State: 'FAILED',
      FailureReason: 'ACCOUNT_LIMIT_EXCEEDED',
    });
  });

  it('moves accounts between parents with the errors the engine relies on', async () => {
    const { AccountId } = await createAccount('mover');
    const ou = await createOu(rootId, 'dev');
    const move = (SourceParentId: string, DestinationParentId: string) =>
      orgs.send(
        new MoveAccountCommand({
          AccountId,
          SourceParentId,
          DestinationParentId,
        }),
      );

    await move(rootId, ou.Id!);
    await expect(move(rootId, ou.Id!)).rejects.toBeInstanceOf(
      DuplicateAccountException,
    );
    await expect(move('ou-zzzz-zzzzzzzz', rootId)).rejects.toBeInstanceOf(
      SourceParentNotFoundException,
    );
    await expect(move(ou.Id!, 'ou-zzzz-zzzzzzzz')).rejects.toBeInstanceOf(
      DestinationParentNotFoundException,
    );

    const { Accounts } = await orgs.send(
      new ListAccountsForParentCommand({ ParentId: ou.Id! }),
    );
    expect(Accounts!.map(a => a.Id)).toEqual([AccountId]);
    const { Children } = await orgs.send(
      new ListChildrenCommand({ ParentId: ou.Id!, ChildType: 'ACCOUNT' }),
    );
    expect(Children).toEqual([{ Id: AccountId, Type: 'ACCOUNT' }]);
    await expect(
      orgs.send(new ListParentsCommand({ ChildId: '999999999999' })),
    ).rejects.toBeInstanceOf(ChildNotFoundException);
  });

  it('deletes an OU only once no account is left in it', async () => {
    const { AccountId } = await createAccount('resident');
    const ou = await createOu(rootId, 'occupied');
    const move = (SourceParentId: string, DestinationParentId: string) =>
      orgs.send(
        new MoveAccountCommand({
          AccountId,
          SourceParentId,
          DestinationParentId,
        }),
      );
    const remove = () =>
      orgs.send(
        new DeleteOrganizationalUnitCommand({ OrganizationalUnitId: ou.Id! }),
      );
    await move(rootId, ou.Id!);
    await expect(remove()).rejects.toBeInstanceOf(
      OrganizationalUnitNotEmptyException,
    );
    await move(ou.Id!, rootId);
    await remove();
    await expect(
      orgs.send(
        new DescribeOrganizationalUnitCommand({ OrganizationalUnitId: ou.Id! }),
      ),
    ).rejects.toBeInstanceOf(OrganizationalUnitNotFoundException);
  });

  it('pages every list by at most 20, and refuses bigger pages and foreign tokens', async () => {
    for (let i = 0; i < 25; i++) await createOu(rootId, `ou-${i}`);
    const pages = await collect(
      paginateListOrganizationalUnitsForParent(
        { client: orgs },
        { ParentId: rootId },
      ),
    );
    expect(pages.map(p => p.OrganizationalUnits!.length)).toEqual([20, 5]);
    const children = await collect(
      paginateListChildren(
        { client: orgs, pageSize: 7 },
        { ParentId: rootId, ChildType: 'ORGANIZATIONAL_UNIT' },
      ),
    );
    expect(children.flatMap(p => p.Children!).length).toBe(25);
    expect(children.length).toBe(4);

    const tooBig = await orgs
      .send(
        new ListChildrenCommand({
          ParentId: rootId,
          ChildType: 'ACCOUNT',
          MaxResults: 21,
        }),
      )
      .catch(e => e);
    expect(tooBig).toBeInstanceOf(InvalidInputException);
    expect(tooBig.Reason).toBe('MAX_VALUE_EXCEEDED');

    const foreign = await orgs
      .send(
        new ListChildrenCommand({
          ParentId: rootId,
          ChildType: 'ACCOUNT',
          NextToken: 'bm90LWEtdG9rZW4',
        }),
      )
      .catch(e => e);
    expect(foreign).toBeInstanceOf(InvalidInputException);
    expect(foreign.Reason).toBe('INVALID_NEXT_TOKEN');

    const accounts = await collect(paginateListAccounts({ client: orgs }, {}));
    expect(accounts.flatMap(p => p.Accounts!).map(a => a.Id)).toEqual([
      '200000000001',
    ]);
  });

  it('tags accounts and OUs, up to 50 tags', async () => {
    const { AccountId } = await createAccount('tagged');
    await orgs.send(
      new TagResourceCommand({
        ResourceId: AccountId!,
        Tags: [
          { Key: 'environment', Value: 'prod' },
          { Key: 'role', Value: 'regional-cluster' },
        ],
      }),
    );
    await orgs.send(
      new UntagResourceCommand({ ResourceId: AccountId!, TagKeys: ['role'] }),
    );
    const { Tags } = await orgs.send(
      new ListTagsForResourceCommand({ ResourceId: AccountId! }),
    );
    expect(Tags).toEqual([{ Key: 'environment', Value: 'prod' }]);

    const many = Array.from({ length: 50 }, (_, i) => ({
      Key: `k${i}`,
      Value: 'v',
    }));
    const error = await orgs
      .send(new TagResourceCommand({ ResourceId: AccountId!, Tags: many }))
      .catch(e => e);
    expect(error).toBeInstanceOf(ConstraintViolationException);
    expect(error.Reason).toBe('MAX_TAG_LIMIT_EXCEEDED');
    expect(
      (
        await orgs.send(
          new ListTagsForResourceCommand({ ResourceId: AccountId! }),
        )
      ).Tags,
    ).toHaveLength(1);

    await expect(
      orgs.send(
        new TagResourceCommand({
          ResourceId: '999999999999',
          Tags: [{ Key: 'a', Value: 'b' }],
        }),
      ),
    ).rejects.toBeInstanceOf(TargetNotFoundException);
  });

  it('closes accounts once, and never the management account', async () => {
    const { AccountId } = await createAccount('closing');
    await orgs.send(new CloseAccountCommand({ AccountId }));
    expect(
      (await orgs.send(new DescribeAccountCommand({ AccountId }))).Account!
        .Status,
    ).toBe('SUSPENDED');
    await expect(
      orgs.send(new CloseAccountCommand({ AccountId })),
    ).rejects.toBeInstanceOf(AccountAlreadyClosedException);
    const error = await orgs
      .send(new CloseAccountCommand({ AccountId: '200000000001' }))
      .catch(e => e);
    expect(error).toBeInstanceOf(ConstraintViolationException);
    expect(error.Reason).toBe('CANNOT_CLOSE_MANAGEMENT_ACCOUNT');
  });

  it('lets only the management account in: members are denied, outsiders are not in use', async () => {
    const { AccountId } = await createAccount('member');
    const memberSession = await assumeRole(
      running.endpoint,
      await assumeRole(
        running.endpoint,
        CENTRAL,
        'arn:aws:iam::200000000001:role/AccountBootstrap',
      ),
      `arn:aws:iam::${AccountId}:role/OrganizationAccountAccessRole`,
    );
    const asMember = new OrganizationsClient(
      clientConfig(running.endpoint, memberSession),
    );
    await expect(
      asMember.send(new ListRootsCommand({})),
    ).rejects.toBeInstanceOf(AccessDeniedException);

    const asCentral = new OrganizationsClient(
      clientConfig(running.endpoint, CENTRAL),
    );
    await expect(
      asCentral.send(new ListRootsCommand({})),
    ).rejects.toBeInstanceOf(AWSOrganizationsNotInUseException);
    // The central account may start an organization of its own, once.
    const { Organization } = await asCentral.send(
      new CreateOrganizationCommand({ FeatureSet: 'ALL' }),
    );
    expect(Organization!.MasterAccountId).toBe('100000000001');
    await expect(
      asCentral.send(new CreateOrganizationCommand({})),
    ).rejects.toBeInstanceOf(AlreadyInOrganizationException);
  });

  it('refuses unknown credentials and malformed input with the SDK error classes', async () => {
    const stranger = new OrganizationsClient(
      clientConfig(running.endpoint, {
        accessKeyId: 'AKIAUNKNOWN000000000',
        secretAccessKey: 'x',
      }),
    );
    await expect(stranger.send(new ListRootsCommand({}))).rejects.toMatchObject(
      {
        name: 'UnrecognizedClientException',
      },
    );

    const missing = await orgs
      .send(new CreateOrganizationalUnitCommand({ ParentId: rootId } as any))
      .catch(e => e);
    expect(missing).toBeInstanceOf(InvalidInputException);
    expect(missing.Reason).toBe('INPUT_REQUIRED');
    expect(missing.message).toContain('Name');
  });
});

describe('Organizations over time (realistic profile, manual clock)', () => {
  let running: RunningSandbox;
  let clock: ManualClock;
  let orgs: OrganizationsClient;

  beforeEach(async () => {
    clock = new ManualClock();
    running = await startSandbox({
      port: 0,
      seed: testSeed(),
      clock,
      // API calls take no time here; creation, readiness and throttling keep their realistic values.
      profile: { ...PROFILES.realistic, apiCallMs: 0 },
    });
    orgs = await minterOrganizations(running.endpoint);
  });

  afterEach(() => running.close());

  it('runs creations asynchronously, at most five at once per organization', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      const { CreateAccountStatus } = await orgs.send(
        new CreateAccountCommand({
          AccountName: `a${i}`,
          Email: `a${i}@example.com`,
        }),
      );
      expect(CreateAccountStatus!.State).toBe('IN_PROGRESS');
      ids.push(CreateAccountStatus!.Id!);
    }
    const sixth = await orgs
      .send(
        new CreateAccountCommand({
          AccountName: 'a5',
          Email: 'a5@example.com',
        }),
      )
      .catch(e => e);
    expect(sixth).toBeInstanceOf(ConstraintViolationException);
    expect(sixth.Reason).toBe('ACCOUNT_CREATION_RATE_LIMIT_EXCEEDED');

    const inProgress = await orgs.send(
      new ListCreateAccountStatusCommand({ States: ['IN_PROGRESS'] }),
    );
    expect(inProgress.CreateAccountStatuses!.map(s => s.Id).sort()).toEqual(
      [...ids].sort(),
    );

    clock.advance(PROFILES.realistic.accountCreationMs);
    const done = await orgs.send(
      new DescribeCreateAccountStatusCommand({
        CreateAccountRequestId: ids[0],
      }),
    );
    expect(done.CreateAccountStatus!.State).toBe('SUCCEEDED');
    const succeeded = await orgs.send(
      new ListCreateAccountStatusCommand({ States: ['SUCCEEDED'] }),
    );
    expect(succeeded.CreateAccountStatuses).toHaveLength(5);
  });

  it('throttles an organization past its burst until tokens refill', async () => {
    const calls = Array.from(
      { length: PROFILES.realistic.organizationBurst },
      () => orgs.send(new ListRootsCommand({})),
    );
    await Promise.all(calls);
    await expect(orgs.send(new ListRootsCommand({}))).rejects.toBeInstanceOf(
      TooManyRequestsException,
    );
    clock.advance(1000);
    await expect(orgs.send(new ListRootsCommand({}))).resolves.toBeDefined();
  });

  it('expires assumed-role sessions when their duration is over', async () => {
    clock.advance(3600 * 1000);
    await expect(orgs.send(new ListRootsCommand({}))).rejects.toMatchObject({
      name: 'ExpiredTokenException',
      $metadata: { httpStatusCode: 400 },
    });
  });
});
