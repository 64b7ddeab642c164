import {
  DescribeAccountCommand,
  OrganizationsClient,
} from '@aws-sdk/client-organizations';
import { RunningSandbox, startSandbox } from '../server';
import {
  assumeRole,
  BOOTSTRAP_ROLE,
  CENTRAL,
  minterOrganizations,
  testSeed,
} from '../__testUtils__/sandbox';

describe('seeded member accounts', () => {
  let running: RunningSandbox;
  let orgs: OrganizationsClient;

  beforeEach(async () => {
    // member-1 (300000000001) was created by the organization, member-2 invited into it.
    const seed = testSeed({ members: 2 });
    seed.organizations[0].accounts[1].invited = true;
    running = await startSandbox({ port: 0, seed });
    orgs = await minterOrganizations(running.endpoint);
  });

  afterEach(() => running.close());

  const accessRole = (id: string) =>
    `arn:aws:iam::${id}:role/OrganizationAccountAccessRole`;

  it('gives a created account the OrganizationAccountAccessRole, and an invited one none', async () => {
    const bootstrap = await assumeRole(
      running.endpoint,
      CENTRAL,
      BOOTSTRAP_ROLE,
    );
    const describe = async (AccountId: string) =>
      (await orgs.send(new DescribeAccountCommand({ AccountId }))).Account;

    expect(await describe('300000000001')).toMatchObject({
      JoinedMethod: 'CREATED',
    });
    await expect(
      assumeRole(running.endpoint, bootstrap, accessRole('300000000001')),
    ).resolves.toBeDefined();

    expect(await describe('300000000002')).toMatchObject({
      JoinedMethod: 'INVITED',
      Status: 'ACTIVE',
    });
    await expect(
      assumeRole(running.endpoint, bootstrap, accessRole('300000000002')),
    ).rejects.toMatchObject({ name: 'AccessDenied' });
  });
});
