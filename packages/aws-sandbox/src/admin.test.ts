import {
  CreateAccountCommand,
  ConcurrentModificationException,
  DescribeAccountCommand,
  DescribeOrganizationalUnitCommand,
  ListParentsCommand,
  ListTagsForResourceCommand,
  ListRootsCommand,
  OrganizationsClient,
} from '@aws-sdk/client-organizations';
import { RunningSandbox, startSandbox } from './server';
import {
  CENTRAL,
  testSeed,
  minterOrganizations,
} from './__testUtils__/sandbox';

describe('the admin API under /_sandbox/', () => {
  let running: RunningSandbox;
  let orgs: OrganizationsClient;
  const admin = (path: string, init?: RequestInit) =>
    fetch(`${running.endpoint}/_sandbox/${path}`, init).then(async r => ({
      status: r.status,
      body: await r.json(),
    }));

  beforeEach(async () => {
    running = await startSandbox({ port: 0, seed: testSeed() });
    orgs = await minterOrganizations(running.endpoint);
  });

  afterEach(() => running.close());

  it('reports its health and profile', async () => {
    expect(await admin('health')).toEqual({
      status: 200,
      body: {
        status: 'ok',
        profile: 'instant',
        timeScale: 1,
        organizations: 1,
        accounts: 2,
      },
    });
  });

  it('logs every call with its principal, account, mutation and error', async () => {
    await orgs.send(new ListRootsCommand({}));
    const { body } = await admin('calls?service=organizations');
    expect(body.calls).toEqual([
      expect.objectContaining({
        service: 'organizations',
        operation: 'ListRoots',
        principal: 'arn:aws:sts::200000000001:assumed-role/AccountMinter/test',
        account: '200000000001',
        mutating: false,
      }),
    ]);
    const sts = await admin('calls?operation=AssumeRole&mutating=true');
    expect(sts.body.calls).toHaveLength(1);
    await admin('calls', { method: 'DELETE' });
    expect((await admin('calls')).body.calls).toEqual([]);
  });

  it('fails the next N calls of an operation as planned, then lets them through', async () => {
    const planned = await admin('faults', {
      method: 'POST',
      body: JSON.stringify({
        operation: 'CreateAccount',
        count: 1,
        error: {
          code: 'ConcurrentModificationException',
          message: 'try again',
        },
      }),
    });
    expect(planned.status).toBe(201);
    const create = () =>
      orgs.send(
        new CreateAccountCommand({
          AccountName: 'flaky',
          Email: 'flaky@example.com',
        }),
      );
    await expect(create()).rejects.toBeInstanceOf(
      ConcurrentModificationException,
    );
    expect((await create()).CreateAccountStatus!.State).toBe('SUCCEEDED');
    expect(
      (await admin('calls?operation=CreateAccount')).body.calls.map(
        (c: any) => c.error,
      ),
    ).toEqual(['ConcurrentModificationException', undefined]);
  });

  it('slows an operation down for one account only', async () => {
    await admin('faults', {
      method: 'POST',
      body: JSON.stringify({
        operation: 'ListRoots',
        accountId: '200000000001',
        latencyMs: 150,
        count: 1,
      }),
    });
    await orgs.send(new ListRootsCommand({}));
    const [call] = (await admin('calls?operation=ListRoots')).body.calls;
    expect(call.durationMs).toBeGreaterThanOrEqual(150);
    expect((await admin('faults')).body.faults).toEqual([]);
  });

  it('fails a share of the calls with a probability, and refuses one above 1', async () => {
    const refused = await admin('faults', {
      method: 'POST',
      body: JSON.stringify({
        operation: 'ListRoots',
        probability: 1.5,
        error: { code: 'TooManyRequestsException' },
      }),
    });
    expect(refused.status).toBe(400);
    expect(refused.body.error).toContain('faults[0].probability');

    const planned = await admin('faults', {
      method: 'POST',
      body: JSON.stringify({
        operation: 'ListRoots',
        probability: 0.5,
        seed: 3,
        error: { code: 'ConcurrentModificationException' },
      }),
    });
    expect(planned.status).toBe(201);
    expect(planned.body.faults).toEqual([
      expect.objectContaining({ probability: 0.5, seed: 3 }),
    ]);
    const outcomes = await Promise.all(
      Array.from({ length: 40 }, () =>
        orgs.send(new ListRootsCommand({})).then(
          () => 'ok',
          error => error.name,
        ),
      ),
    );
    const failed = outcomes.filter(
      o => o === 'ConcurrentModificationException',
    );
    expect(failed.length).toBeGreaterThan(5);
    expect(failed.length).toBeLessThan(35);
    expect(outcomes.filter(o => o !== 'ok' && !failed.includes(o))).toEqual([]);
  });

  it('refuses a malformed fault, naming the field, and plans nothing', async () => {
    const response = await admin('faults', {
      method: 'POST',
      body: JSON.stringify([
        { operation: 'ListRoots', latencyMs: 1 },
        { operation: 'X', count: 0, latencyMs: 1 },
      ]),
    });
    expect(response.status).toBe(400);
    expect(response.body.error).toContain('faults[1].count');
    expect((await admin('faults')).body.faults).toEqual([]);
  });

  it('shows the estate without secrets, and resets it to the seed', async () => {
    await orgs.send(
      new CreateAccountCommand({
        AccountName: 'extra',
        Email: 'extra@example.com',
      }),
    );
    const before = await admin('state');
    expect(before.body.accounts).toHaveLength(3);
    expect(JSON.stringify(before.body)).not.toContain(CENTRAL.secretAccessKey);
    // SCPs are not enabled in a new organization: FullAWSAccess exists, attached to nothing.
    expect(before.body.policies).toEqual([
      expect.objectContaining({
        id: 'p-FullAWSAccess',
        type: 'SERVICE_CONTROL_POLICY',
        awsManaged: true,
        targetIds: [],
      }),
    ]);

    await admin('reset', { method: 'POST' });
    const after = await admin('state');
    expect(after.body.accounts.map((a: any) => a.name).sort()).toEqual([
      'central',
      'control',
    ]);
    expect((await admin('calls')).body.calls).toEqual([]);
  });

  describe('POST accounts', () => {
    const addAccount = (account: unknown) =>
      admin('accounts', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(account),
      });

    it('adds an account by hand, in an OU it makes, ready to adopt', async () => {
      const added = await addAccount({
        managementAccountId: '200000000001',
        name: 'hand-made',
        email: 'hand-made@example.com',
        ou: 'legacy/teams',
        tags: { owner: 'team-a' },
        invited: true,
      });
      expect(added.status).toBe(201);
      const id: string = added.body.id;
      expect(id).toMatch(/^\d{12}$/);

      const { Account } = await orgs.send(
        new DescribeAccountCommand({ AccountId: id }),
      );
      expect(Account).toMatchObject({
        Name: 'hand-made',
        Email: 'hand-made@example.com',
        Status: 'ACTIVE',
        JoinedMethod: 'INVITED',
      });
      const { Parents } = await orgs.send(
        new ListParentsCommand({ ChildId: id }),
      );
      const { OrganizationalUnit } = await orgs.send(
        new DescribeOrganizationalUnitCommand({
          OrganizationalUnitId: Parents![0].Id!,
        }),
      );
      expect(OrganizationalUnit!.Name).toBe('teams');
      const { Tags } = await orgs.send(
        new ListTagsForResourceCommand({ ResourceId: id }),
      );
      expect(Tags).toEqual([{ Key: 'owner', Value: 'team-a' }]);

      // A second account in the same path joins the same OU.
      const second = await addAccount({
        managementAccountId: '200000000001',
        name: 'second',
        email: 'second@example.com',
        ou: 'legacy/teams',
      });
      const secondParents = await orgs.send(
        new ListParentsCommand({ ChildId: second.body.id }),
      );
      expect(secondParents.Parents).toEqual(Parents);
    });

    it('refuses bodies that break the rules, naming the field', async () => {
      const valid = {
        managementAccountId: '200000000001',
        name: 'ok',
        email: 'ok@example.com',
      };
      const cases: [unknown, number, string][] = [
        [{ ...valid, email: 'not-an-email' }, 400, 'email: '],
        [{ ...valid, name: '' }, 400, 'name: '],
        [{ ...valid, managementAccountId: '12' }, 400, 'managementAccountId: '],
        [{ ...valid, ou: 'a/b/c/d/e/f' }, 400, 'ou: '],
        [{ ...valid, invited: 'yes' }, 400, 'invited: '],
        [{ ...valid, colour: 'red' }, 400, 'colour'],
        [
          { ...valid, managementAccountId: '100000000001' },
          400,
          'managementAccountId: 100000000001 is not the management account',
        ],
        [{ ...valid, email: 'control@example.com' }, 409, 'email: '],
      ];
      for (const [account, status, error] of cases) {
        const response = await addAccount(account);
        expect({ status: response.status, error: response.body.error }).toEqual(
          { status, error: expect.stringContaining(error) },
        );
      }
      expect((await admin('health')).body.accounts).toBe(2);
    });
  });

  it('answers unknown admin routes with the list of routes', async () => {
    const response = await admin('nope');
    expect(response.status).toBe(404);
    expect(response.body.error).toContain('GET health');
  });
});
