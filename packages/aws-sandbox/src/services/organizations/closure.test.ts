import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AccountAlreadyClosedException,
  AccountNotFoundException,
  CloseAccountCommand,
  ConstraintViolationException,
  CreateOrganizationalUnitCommand,
  DescribeAccountCommand,
  ListAccountsCommand,
  ListAccountsForParentCommand,
  ListRootsCommand,
  MoveAccountCommand,
  OrganizationsClient,
} from '@aws-sdk/client-organizations';
import { ManualClock } from '../../clock';
import { PROFILES } from '../../profiles';
import { buildState } from '../../seed/buildState';
import { RunningSandbox, SandboxOptions, startSandbox } from '../../server';
import {
  assumeRole,
  BOOTSTRAP_ROLE,
  CENTRAL,
  minterOrganizations,
  testSeed,
} from '../../__testUtils__/sandbox';
import { closeAccountQuota } from './closure';

jest.setTimeout(60_000);

const DAY_MS = 24 * 3600_000;
const member = (n: number) => String(300000000000 + n);

describe('CloseAccount as AWS enforces it', () => {
  let running: RunningSandbox | undefined;
  let clock: ManualClock;

  afterEach(() => running?.close());

  /** A sandbox on a manual clock; API calls take no time, closures the realistic 10 minutes. */
  async function start(
    seed: Parameters<typeof testSeed>[0],
    options: Partial<SandboxOptions> = {},
  ): Promise<OrganizationsClient> {
    clock = new ManualClock();
    running = await startSandbox({
      port: 0,
      seed: testSeed({ accountQuota: 100, ...seed }),
      clock,
      profile: { ...PROFILES.realistic, apiCallMs: 0 },
      ...options,
    });
    return minterOrganizations(running.endpoint);
  }

  /** Moves the clock on, with a fresh session: the old one may have expired. */
  const after = (ms: number) => {
    clock.advance(ms);
    return minterOrganizations(running!.endpoint);
  };
  const close = (orgs: OrganizationsClient, n: number) =>
    orgs.send(new CloseAccountCommand({ AccountId: member(n) }));
  const statusOf = async (orgs: OrganizationsClient, n: number) =>
    (await orgs.send(new DescribeAccountCommand({ AccountId: member(n) })))
      .Account!.Status;

  it('closes at most three accounts at a time, and more once they are SUSPENDED', async () => {
    const orgs = await start({ members: 5 });
    for (const n of [1, 2, 3]) await close(orgs, n);
    expect(await statusOf(orgs, 3)).toBe('PENDING_CLOSURE');

    const fourth = await close(orgs, 4).catch(e => e);
    expect(fourth).toBeInstanceOf(ConstraintViolationException);
    expect(fourth.Reason).toBe('CLOSE_ACCOUNT_REQUESTS_LIMIT_EXCEEDED');
    expect(fourth.message).toBe(
      'You attempted to exceed the number of accounts that you can close at a time.',
    );
    await expect(close(orgs, 1)).rejects.toBeInstanceOf(
      AccountAlreadyClosedException,
    );

    clock.advance(PROFILES.realistic.accountClosureMs);
    expect(await statusOf(orgs, 1)).toBe('SUSPENDED');
    await close(orgs, 4);
    await expect(close(orgs, 1)).rejects.toBeInstanceOf(
      AccountAlreadyClosedException,
    );
  });

  it('takes the concurrency from the seed', async () => {
    const orgs = await start({ members: 2, closeAccountConcurrency: 1 });
    await close(orgs, 1);
    await expect(close(orgs, 2)).rejects.toMatchObject({
      Reason: 'CLOSE_ACCOUNT_REQUESTS_LIMIT_EXCEEDED',
    });
  });

  it('refuses closures past the quota of the rolling 30 days, and allows them once the first leaves the window', async () => {
    let orgs = await start({ members: 4, closeAccountQuota: 2 });
    await close(orgs, 1);
    orgs = await after(DAY_MS);
    await close(orgs, 2);

    const third = await close(orgs, 3).catch(e => e);
    expect(third).toBeInstanceOf(ConstraintViolationException);
    expect(third.Reason).toBe('CLOSE_ACCOUNT_QUOTA_EXCEEDED');
    expect(third.message).toBe(
      'You have exceeded close account quota for the past 30 days.',
    );

    // 30 days after the first closure, only the second is within the window.
    orgs = await after(29 * DAY_MS);
    await close(orgs, 3);
    await expect(close(orgs, 4)).rejects.toMatchObject({
      Reason: 'CLOSE_ACCOUNT_QUOTA_EXCEEDED',
    });
  });

  it('keeps the closures of the window across a restart with a state file', async () => {
    const stateFile = join(mkdtempSync(join(tmpdir(), 'sandbox-')), 's.json');
    const seed = { members: 3, closeAccountQuota: 2 };
    let orgs = await start(seed, { stateFile });
    await close(orgs, 1);
    await close(orgs, 2);
    await running!.close();

    orgs = await start(seed, { stateFile });
    await expect(close(orgs, 3)).rejects.toMatchObject({
      Reason: 'CLOSE_ACCOUNT_QUOTA_EXCEEDED',
    });
  });

  it('allows 10% of the member accounts, closed ones included, and at least 10', async () => {
    const orgs = await start({ members: 11 }, { profile: PROFILES.instant });
    for (let n = 1; n <= 10; n++) await close(orgs, n);
    await expect(close(orgs, 11)).rejects.toMatchObject({
      Reason: 'CLOSE_ACCOUNT_QUOTA_EXCEEDED',
    });

    const large = buildState(testSeed({ members: 259 }), 0);
    const organization = [...large.organizations.values()][0];
    expect(closeAccountQuota(large, organization)).toBe(25);
    large.accounts.get(member(1))!.status = 'SUSPENDED';
    expect(closeAccountQuota(large, organization)).toBe(25);
  });

  it('refuses sessions into closing and closed accounts', async () => {
    const orgs = await start({ members: 1 });
    const bootstrap = await assumeRole(
      running!.endpoint,
      CENTRAL,
      BOOTSTRAP_ROLE,
    );
    const accessRole = `arn:aws:iam::${member(
      1,
    )}:role/OrganizationAccountAccessRole`;
    await expect(
      assumeRole(running!.endpoint, bootstrap, accessRole),
    ).resolves.toBeDefined();

    await close(orgs, 1);
    await expect(
      assumeRole(running!.endpoint, bootstrap, accessRole),
    ).rejects.toMatchObject({ name: 'AccessDenied' });
    clock.advance(PROFILES.realistic.accountClosureMs);
    expect(await statusOf(orgs, 1)).toBe('SUSPENDED');
    await expect(
      assumeRole(running!.endpoint, bootstrap, accessRole),
    ).rejects.toMatchObject({ name: 'AccessDenied' });
  });

  it('moves SUSPENDED accounts between OUs, as AWS lets a closed account be parked', async () => {
    const orgs = await start({ members: 1 });
    const rootId = (await orgs.send(new ListRootsCommand({}))).Roots![0].Id!;
    const { OrganizationalUnit } = await orgs.send(
      new CreateOrganizationalUnitCommand({ ParentId: rootId, Name: 'closed' }),
    );
    await close(orgs, 1);
    clock.advance(PROFILES.realistic.accountClosureMs);
    await orgs.send(
      new MoveAccountCommand({
        AccountId: member(1),
        SourceParentId: rootId,
        DestinationParentId: OrganizationalUnit!.Id!,
      }),
    );
    const { Accounts } = await orgs.send(
      new ListAccountsForParentCommand({ ParentId: OrganizationalUnit!.Id! }),
    );
    expect(Accounts).toEqual([
      expect.objectContaining({ Id: member(1), Status: 'SUSPENDED' }),
    ]);
  });

  it('removes SUSPENDED accounts from the organization after 90 days', async () => {
    let orgs = await start({ members: 2 });
    const rootId = (await orgs.send(new ListRootsCommand({}))).Roots![0].Id!;
    await close(orgs, 1);
    orgs = await after(PROFILES.realistic.accountClosureMs + 89 * DAY_MS);
    expect(await statusOf(orgs, 1)).toBe('SUSPENDED');

    orgs = await after(DAY_MS);
    await expect(statusOf(orgs, 1)).rejects.toBeInstanceOf(
      AccountNotFoundException,
    );
    const listed = await orgs.send(new ListAccountsCommand({}));
    expect(listed.Accounts!.map(a => a.Id).sort()).toEqual([
      '200000000001',
      member(2),
    ]);
    const inRoot = await orgs.send(
      new ListAccountsForParentCommand({ ParentId: rootId }),
    );
    expect(inRoot.Accounts!.map(a => a.Id)).not.toContain(member(1));
  });
});
