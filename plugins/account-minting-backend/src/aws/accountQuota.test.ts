import {
  CloseAccountCommand,
  ListAccountsCommand,
} from '@aws-sdk/client-organizations';
import { ConfigReader } from '@backstage/config';
import { JsonObject } from '@backstage/types';
import {
  defaultSeed,
  RunningSandbox,
  Seed,
  startSandbox,
} from '@regional-minting/aws-sandbox';
import { MintingConfig, readMintingConfig } from '../config/mintingConfig';
import { mintingTestConfig } from '../testUtils/mintingBackend';
import {
  AccountQuotaUsage,
  checkQuota,
  readAccountQuota,
} from './accountQuota';
import { AwsClients } from './AwsClients';
import { PayerGates } from './OrganizationSession';
import { BackoffOptions } from './retry';

const CENTRAL = {
  accessKeyId: 'AKIASANDBOXCENTRAL01',
  secretAccessKey: 'sandbox-central-account-secret-key',
};
const STAGING_2 = '400000000001';
const FAST_BACKOFF: BackoffOptions = {
  baseDelayMs: 1,
  maxDelayMs: 5,
  attempts: 4,
};

// The tests call a sandbox server: generous, so that a loaded machine is slow, never failing.
jest.setTimeout(60_000);

/** The default estate, with staging-2 holding 9 accounts (its management account and 8 members) of a quota of 10. */
function quotaSeed(): Seed {
  const seed = defaultSeed();
  const staging2 = seed.organizations.find(o => o.name === 'staging-2')!;
  staging2.accountQuota = 10;
  staging2.accounts = Array.from({ length: 8 }, (_, i) => ({
    name: `member-${i + 1}`,
    email: `aws+staging-2-member-${i + 1}@example.com`,
    tags: {},
    users: [],
    roles: [],
    buckets: [],
  }));
  return seed;
}

function mintingConfig(
  endpoint: string,
  accountQuotas: Record<string, number> = {},
): MintingConfig {
  const data = mintingTestConfig(endpoint);
  const minting = data.accountMinting as JsonObject;
  minting.payers = (minting.payers as JsonObject[]).map(payer =>
    accountQuotas[payer.name as string] === undefined
      ? payer
      : { ...payer, accountQuota: accountQuotas[payer.name as string] },
  );
  return readMintingConfig(new ConfigReader(data));
}

describe('readAccountQuota', () => {
  let running: RunningSandbox;
  let clients: AwsClients;

  beforeAll(async () => {
    running = await startSandbox({ port: 0, seed: quotaSeed() });
  });
  afterAll(() => running.close());
  // A reset sandbox is a new AWS, whose sessions the clients of the one before do not hold.
  beforeEach(() => {
    clients = new AwsClients({
      region: 'eu-west-2',
      endpoint: running.endpoint,
      central: async () => CENTRAL,
    });
  });
  beforeEach(() => running.sandbox.reset());

  const read = (
    config: MintingConfig,
    payer = 'staging-2',
    extra: { pageSize?: number } = {},
  ) =>
    readAccountQuota({
      config,
      payer,
      clients,
      gates: new PayerGates({ callConcurrency: 8, callsPerSecond: 1000 }),
      sessionName: 'quota-test',
      backoff: FAST_BACKOFF,
      ...extra,
    });

  /** Denies Service Quotas to staging-2's minting role, as a policy of the payer would. */
  const denyServiceQuotas = () => {
    running.sandbox.state.accounts.get(
      STAGING_2,
    )!.roles.AccountMinter.deniedServices = ['servicequotas'];
  };

  const serviceQuotasCalls = () =>
    running.sandbox.calls.list().filter(c => c.service === 'servicequotas');

  it('reads the quota from Service Quotas and counts every account, closed and closing ones included', async () => {
    const minter = await clients.assumeRole({
      roleArn: `arn:aws:iam::${STAGING_2}:role/AccountMinter`,
      sessionName: 'quota-test-setup',
    });
    const organizations = clients.organizations(minter);
    const { Accounts } = await organizations.send(new ListAccountsCommand({}));
    const members = Accounts!.filter(a => a.Id !== STAGING_2);
    // One closed through the API (SUSPENDED at once in the instant profile), one still closing.
    await organizations.send(
      new CloseAccountCommand({ AccountId: members[0].Id! }),
    );
    running.sandbox.state.startClosure(
      running.sandbox.state.accounts.get(members[1].Id!)!,
      Date.now() + 3_600_000,
    );
    const statuses = (
      await organizations.send(new ListAccountsCommand({}))
    ).Accounts!.map(a => a.Status);
    expect(statuses).toEqual(
      expect.arrayContaining(['ACTIVE', 'SUSPENDED', 'PENDING_CLOSURE']),
    );

    const usage = await read(mintingConfig(running.endpoint));

    expect(usage).toEqual({
      payer: 'staging-2',
      quota: 10,
      quotaSource: 'service-quotas',
      accounts: 9,
      left: 1,
    });
    expect(checkQuota(usage, 3)).toBe(
      'payer staging-2 needs 3 new accounts, 1 left of 10 (9 exist, closed ones included); ask AWS to raise the quota "Default maximum number of accounts"',
    );
    expect(checkQuota(usage, 1)).toBeUndefined();
  });

  it('finds the quota by its name over every page of ListServiceQuotas', async () => {
    const usage = await read(mintingConfig(running.endpoint), 'staging-2', {
      pageSize: 1,
    });

    expect(usage).toMatchObject({ quota: 10, quotaSource: 'service-quotas' });
    const calls = serviceQuotasCalls();
    expect(calls.length).toBeGreaterThan(1);
    expect(calls.every(c => c.operation === 'ListServiceQuotas')).toBe(true);
  });

  it("prefers Service Quotas to the payer's accountQuota in the config", async () => {
    const usage = await read(
      mintingConfig(running.endpoint, { 'staging-2': 50 }),
    );

    expect(usage).toMatchObject({ quota: 10, quotaSource: 'service-quotas' });
  });

  it("falls back to the payer's accountQuota when the minting role may not call Service Quotas", async () => {
    denyServiceQuotas();

    const usage = await read(
      mintingConfig(running.endpoint, { 'staging-2': 12 }),
    );

    expect(usage).toEqual({
      payer: 'staging-2',
      quota: 12,
      quotaSource: 'config',
      accounts: 9,
      left: 3,
    });
    expect(serviceQuotasCalls().map(c => c.error)).toEqual([
      'AccessDeniedException',
    ]);
  });

  it("falls back to the payer's accountQuota when Service Quotas does not know the quota", async () => {
    running.sandbox.faults.add({
      operation: 'ListServiceQuotas',
      count: 1,
      error: {
        code: 'NoSuchResourceException',
        message: 'The specified resource does not exist.',
        statusCode: 400,
      },
    });

    const usage = await read(
      mintingConfig(running.endpoint, { 'staging-2': 20 }),
    );

    expect(usage).toMatchObject({ quota: 20, quotaSource: 'config', left: 11 });
  });

  it('names payers[<n>].accountQuota when neither Service Quotas nor the config gives a number', async () => {
    denyServiceQuotas();

    await expect(read(mintingConfig(running.endpoint))).rejects.toThrow(
      /payer staging-2: no account quota: Service Quotas gave none \(AccessDeniedException: .*\) and payers\[2\]\.accountQuota is not set/,
    );
  });

  it('retries a throttled Service Quotas call rather than falling back', async () => {
    running.sandbox.faults.add({
      operation: 'ListServiceQuotas',
      count: 2,
      error: {
        code: 'TooManyRequestsException',
        message: 'Rate exceeded',
        statusCode: 400,
      },
    });

    const usage = await read(
      mintingConfig(running.endpoint, { 'staging-2': 99 }),
    );

    expect(usage).toMatchObject({ quota: 10, quotaSource: 'service-quotas' });
  });

  it('reads each payer in its own organization', async () => {
    const usage = await read(mintingConfig(running.endpoint), 'control');

    expect(usage).toEqual({
      payer: 'control',
      quota: 100,
      quotaSource: 'service-quotas',
      accounts: 1,
      left: 99,
    });
  });

  it('refuses a payer the config does not have', async () => {
    await expect(
      read(mintingConfig(running.endpoint), 'staging-9'),
    ).rejects.toThrow(
      'unknown payer staging-9; one of control, staging-1, staging-2',
    );
  });
});

describe('checkQuota', () => {
  const usage = (over: Partial<AccountQuotaUsage> = {}): AccountQuotaUsage => ({
    payer: 'staging-2',
    quota: 10,
    quotaSource: 'service-quotas',
    accounts: 9,
    left: 1,
    ...over,
  });

  it('says nothing when the new accounts fit, exactly or with room', () => {
    expect(checkQuota(usage(), 0)).toBeUndefined();
    expect(checkQuota(usage(), 1)).toBeUndefined();
    expect(checkQuota(usage({ accounts: 2, left: 8 }), 5)).toBeUndefined();
  });

  it('says how many are needed, left and exist, and which quota to raise', () => {
    expect(checkQuota(usage(), 3)).toBe(
      'payer staging-2 needs 3 new accounts, 1 left of 10 (9 exist, closed ones included); ask AWS to raise the quota "Default maximum number of accounts"',
    );
  });

  it('speaks of one account in the singular, and of a full organization as 0 left', () => {
    expect(
      checkQuota(
        usage({ payer: 'control', quota: 1, accounts: 1, left: 0 }),
        1,
      ),
    ).toBe(
      'payer control needs 1 new account, 0 left of 1 (1 exists, closed ones included); ask AWS to raise the quota "Default maximum number of accounts"',
    );
  });

  it('refuses a number of accounts that is not a whole number of 0 or more', () => {
    expect(() => checkQuota(usage(), -1)).toThrow(
      'needed: must be a whole number of 0 or more, not -1',
    );
    expect(() => checkQuota(usage(), 1.5)).toThrow(/whole number/);
  });
});
