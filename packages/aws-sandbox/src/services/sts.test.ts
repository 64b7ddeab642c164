import {
  AssumeRoleCommand,
  GetCallerIdentityCommand,
  STSClient,
} from '@aws-sdk/client-sts';
import {
  CreateAccountCommand,
  CreateOrganizationalUnitCommand,
  DescribeCreateAccountStatusCommand,
  ListRootsCommand,
  MoveAccountCommand,
} from '@aws-sdk/client-organizations';
import { ManualClock } from '../clock';
import { PROFILES } from '../profiles';
import { parseSeed } from '../seed/loadSeed';
import { RunningSandbox, startSandbox } from '../server';
import {
  assumeRole,
  BOOTSTRAP_ROLE,
  CENTRAL,
  clientConfig,
  MINTER_ROLE,
  testSeed,
  minterOrganizations,
} from '../__testUtils__/sandbox';

const trust = (statement: Record<string, unknown>) => ({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', ...statement }],
});

// The tests call a sandbox server over HTTP: generous, so that a loaded machine is slow,
// never failing.
jest.setTimeout(60_000);

describe('STS', () => {
  let running: RunningSandbox;
  let clock: ManualClock;

  beforeEach(async () => {
    clock = new ManualClock();
    const seed = testSeed();
    seed.organizations[0].managementAccount.roles.push(
      ...parseSeed({
        accounts: [
          {
            id: '999999999999',
            name: 'x',
            email: 'x@example.com',
            roles: [
              {
                name: 'WithExternalId',
                trustPolicy: trust({
                  Principal: { AWS: 'arn:aws:iam::100000000001:root' },
                  Condition: {
                    StringEquals: { 'sts:ExternalId': 'minting-7f3a' },
                  },
                }),
              },
              {
                name: 'OnlyTheMinter',
                trustPolicy: trust({ Principal: { AWS: MINTER_ROLE } }),
              },
              {
                name: 'LongSessions',
                maxSessionDuration: 7200,
                trustPolicy: trust({
                  Principal: { AWS: ['100000000001', MINTER_ROLE] },
                }),
              },
            ],
          },
        ],
      }).accounts[0].roles,
    );
    running = await startSandbox({
      port: 0,
      seed,
      clock,
      profile: { ...PROFILES.realistic, apiCallMs: 0 },
    });
  });

  afterEach(() => running.close());

  const sts = (credentials = CENTRAL) =>
    new STSClient(clientConfig(running.endpoint, credentials));
  const role = (name: string) => `arn:aws:iam::200000000001:role/${name}`;

  it('says who the caller is, for users and for assumed roles', async () => {
    expect(await sts().send(new GetCallerIdentityCommand({}))).toMatchObject({
      Account: '100000000001',
      Arn: 'arn:aws:iam::100000000001:user/pipeline',
    });
    const session = await assumeRole(running.endpoint, CENTRAL, MINTER_ROLE);
    expect(
      await sts(session).send(new GetCallerIdentityCommand({})),
    ).toMatchObject({
      Account: '200000000001',
      Arn: 'arn:aws:sts::200000000001:assumed-role/AccountMinter/test',
      UserId: expect.stringMatching(/^AROA[A-Z2-7]{17}:test$/),
    });
  });

  it('returns session credentials that expire when AWS says they do', async () => {
    const response = await sts().send(
      new AssumeRoleCommand({
        RoleArn: MINTER_ROLE,
        RoleSessionName: 'mint-run-42',
        DurationSeconds: 900,
        Tags: [{ Key: 'run', Value: '42' }],
      }),
    );
    expect(response.Credentials!.AccessKeyId).toMatch(/^ASIA/);
    expect(response.Credentials!.Expiration!.getTime()).toBe(
      clock.now() + 900_000,
    );
    expect(response.AssumedRoleUser!.Arn).toBe(
      'arn:aws:sts::200000000001:assumed-role/AccountMinter/mint-run-42',
    );
    const session = {
      accessKeyId: response.Credentials!.AccessKeyId!,
      secretAccessKey: response.Credentials!.SecretAccessKey!,
      sessionToken: response.Credentials!.SessionToken!,
    };
    clock.advance(900_000);
    await expect(
      sts(session).send(new GetCallerIdentityCommand({})),
    ).rejects.toMatchObject({
      name: 'ExpiredToken',
      message: 'The security token included in the request is expired',
    });
    // The access key alone, without its session token, is no credential at all.
    const error = await sts({ ...session, sessionToken: undefined as any })
      .send(new GetCallerIdentityCommand({}))
      .catch(e => e);
    expect(error.name).toBe('InvalidClientTokenId');
  });

  it('denies roles that do not exist or do not trust the caller, without saying which', async () => {
    for (const arn of [
      role('Missing'),
      role('OnlyTheMinter'),
      'arn:aws:iam::555555555555:role/X',
    ]) {
      const error = await sts()
        .send(new AssumeRoleCommand({ RoleArn: arn, RoleSessionName: 'probe' }))
        .catch(e => e);
      expect(error.name).toBe('AccessDenied');
      expect(error.message).toBe(
        `User: arn:aws:iam::100000000001:user/pipeline is not authorized to perform: sts:AssumeRole on resource: ${arn}`,
      );
    }
    // A role that names the minting role trusts sessions of it.
    const minter = await assumeRole(running.endpoint, CENTRAL, MINTER_ROLE);
    await expect(
      assumeRole(running.endpoint, minter, role('OnlyTheMinter')),
    ).resolves.toBeDefined();
  });

  it('checks sts:ExternalId conditions', async () => {
    const arn = role('WithExternalId');
    await expect(
      assumeRole(running.endpoint, CENTRAL, arn),
    ).rejects.toMatchObject({ name: 'AccessDenied' });
    await expect(
      assumeRole(running.endpoint, CENTRAL, arn, { ExternalId: 'wrong-id' }),
    ).rejects.toMatchObject({ name: 'AccessDenied' });
    await expect(
      assumeRole(running.endpoint, CENTRAL, arn, {
        ExternalId: 'minting-7f3a',
      }),
    ).resolves.toBeDefined();
  });

  it('caps sessions at the role maximum, and chained sessions at one hour', async () => {
    await expect(
      assumeRole(running.endpoint, CENTRAL, role('LongSessions'), {
        DurationSeconds: 7200,
      }),
    ).resolves.toBeDefined();
    const tooLong = await assumeRole(running.endpoint, CENTRAL, MINTER_ROLE, {
      DurationSeconds: 7200,
    }).catch(e => e);
    expect(tooLong.name).toBe('ValidationError');
    expect(tooLong.message).toContain('MaxSessionDuration');

    const minter = await assumeRole(running.endpoint, CENTRAL, MINTER_ROLE);
    const chained = await assumeRole(
      running.endpoint,
      minter,
      role('LongSessions'),
      {
        DurationSeconds: 7200,
      },
    ).catch(e => e);
    expect(chained.name).toBe('ValidationError');
    expect(chained.message).toBe(
      'The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.',
    );
  });

  it('refuses malformed input with ValidationError', async () => {
    const error = await sts()
      .send(
        new AssumeRoleCommand({ RoleArn: MINTER_ROLE, RoleSessionName: 'x' }),
      )
      .catch(e => e);
    expect(error.name).toBe('ValidationError');
    expect(error.message).toContain('RoleSessionName');
  });

  it('opens a new account to the bootstrap chain only after its readiness delay, and checks org paths', async () => {
    const orgs = await minterOrganizations(running.endpoint);
    const { CreateAccountStatus } = await orgs.send(
      new CreateAccountCommand({
        AccountName: 'dev-kirk-us-east-2-rc',
        Email: 'kirk@example.com',
      }),
    );
    clock.advance(PROFILES.realistic.accountCreationMs);
    const { CreateAccountStatus: done } = await orgs.send(
      new DescribeCreateAccountStatusCommand({
        CreateAccountRequestId: CreateAccountStatus!.Id!,
      }),
    );
    const accessRole = `arn:aws:iam::${
      done!.AccountId
    }:role/OrganizationAccountAccessRole`;
    const bootstrap = await assumeRole(
      running.endpoint,
      CENTRAL,
      BOOTSTRAP_ROLE,
    );

    await expect(
      assumeRole(running.endpoint, bootstrap, accessRole),
    ).rejects.toMatchObject({
      name: 'AccessDenied',
    });
    clock.advance(PROFILES.realistic.accountReadinessMs);
    const member = await assumeRole(running.endpoint, bootstrap, accessRole);
    expect(
      await sts(member).send(new GetCallerIdentityCommand({})),
    ).toMatchObject({
      Account: done!.AccountId,
    });

    // aws:PrincipalOrgPaths: the member's path changes when it moves into an OU.
    const rootId = (await orgs.send(new ListRootsCommand({}))).Roots![0].Id!;
    const { OrganizationalUnit } = await orgs.send(
      new CreateOrganizationalUnitCommand({ ParentId: rootId, Name: 'dev' }),
    );
    await orgs.send(
      new MoveAccountCommand({
        AccountId: done!.AccountId!,
        SourceParentId: rootId,
        DestinationParentId: OrganizationalUnit!.Id!,
      }),
    );
    const path = running.sandbox.state.orgPath(done!.AccountId!);
    expect(path).toMatch(
      new RegExp(`^o-[a-z0-9]+/${rootId}/${OrganizationalUnit!.Id}/$`),
    );
  });
});
