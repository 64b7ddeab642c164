import {
  AccessDeniedException,
  GetServiceQuotaCommand,
  IllegalArgumentException,
  InvalidPaginationTokenException,
  ListServiceQuotasCommand,
  NoSuchResourceException,
  paginateListServiceQuotas,
  ServiceQuota,
  ServiceQuotasClient,
} from '@aws-sdk/client-service-quotas';
import { RunningSandbox, startSandbox } from '../../server';
import { Seed } from '../../seed/schema';
import {
  assumeRole,
  CENTRAL,
  clientConfig,
  MINTER_ROLE,
  testSeed,
} from '../../__testUtils__/sandbox';

// The tests call a sandbox server over HTTP: generous, so that a loaded machine is slow,
// never failing.
jest.setTimeout(60_000);

const ACCOUNT_QUOTA = {
  ServiceCode: 'organizations',
  QuotaCode: 'L-29A0C5DF',
};

async function quotasAs(
  running: RunningSandbox,
  roleArn: string,
): Promise<ServiceQuotasClient> {
  return new ServiceQuotasClient(
    clientConfig(
      running.endpoint,
      await assumeRole(running.endpoint, CENTRAL, roleArn),
    ),
  );
}

describe('Service Quotas', () => {
  let running: RunningSandbox;

  const start = async (seed: Seed) => {
    running = await startSandbox({ port: 0, seed });
  };

  afterEach(() => running?.close());

  it("answers the account quota with the value of the caller's organization, shaped as AWS shapes it", async () => {
    await start(testSeed({ accountQuota: 37 }));
    const quotas = await quotasAs(running, MINTER_ROLE);

    const { Quota } = await quotas.send(
      new GetServiceQuotaCommand(ACCOUNT_QUOTA),
    );

    expect(Quota).toEqual({
      ServiceCode: 'organizations',
      ServiceName: 'AWS Organizations',
      QuotaArn:
        'arn:aws:servicequotas:us-east-1:200000000001:organizations/L-29A0C5DF',
      QuotaCode: 'L-29A0C5DF',
      QuotaName: 'Default maximum number of accounts',
      Description: expect.any(String),
      Value: 37,
      Unit: 'None',
      Adjustable: true,
      GlobalQuota: false,
      QuotaAppliedAtLevel: 'ACCOUNT',
    });
  });

  it("lists Organizations' quotas over pages, the account quota among them", async () => {
    await start(testSeed({ accountQuota: 12 }));
    const quotas = await quotasAs(running, MINTER_ROLE);

    const pages = [];
    for await (const p of paginateListServiceQuotas(
      { client: quotas, pageSize: 1 },
      { ServiceCode: 'organizations' },
    )) {
      pages.push(p);
    }
    const all: ServiceQuota[] = pages.flatMap(p => p.Quotas ?? []);

    expect(pages.length).toBeGreaterThan(1);
    expect(pages.every(p => (p.Quotas ?? []).length <= 1)).toBe(true);
    expect(new Set(all.map(q => q.QuotaCode)).size).toBe(all.length);
    expect(
      all.find(q => q.QuotaName === 'Default maximum number of accounts'),
    ).toMatchObject({ QuotaCode: 'L-29A0C5DF', Value: 12 });
    // Service Quotas' tokens are plain base64.
    for (const p of pages.slice(0, -1)) {
      expect(p.NextToken).toMatch(/^[a-zA-Z0-9/+]*={0,2}$/);
    }
  });

  it('refuses a token that no listing handed out', async () => {
    await start(testSeed());
    const quotas = await quotasAs(running, MINTER_ROLE);

    await expect(
      quotas.send(
        new ListServiceQuotasCommand({
          ServiceCode: 'organizations',
          NextToken: 'bm90LWEtdG9rZW4=',
        }),
      ),
    ).rejects.toBeInstanceOf(InvalidPaginationTokenException);
  });

  it('answers NoSuchResourceException for an unknown quota code and IllegalArgumentException for an unknown service', async () => {
    await start(testSeed());
    const quotas = await quotasAs(running, MINTER_ROLE);

    await expect(
      quotas.send(
        new GetServiceQuotaCommand({
          ServiceCode: 'organizations',
          QuotaCode: 'L-00000000',
        }),
      ),
    ).rejects.toBeInstanceOf(NoSuchResourceException);
    await expect(
      quotas.send(
        new GetServiceQuotaCommand({
          ServiceCode: 'no-such-service',
          QuotaCode: 'L-29A0C5DF',
        }),
      ),
    ).rejects.toBeInstanceOf(IllegalArgumentException);
    await expect(
      quotas.send(
        new ListServiceQuotasCommand({ ServiceCode: 'no-such-service' }),
      ),
    ).rejects.toBeInstanceOf(IllegalArgumentException);
  });

  it('answers AccessDeniedException to a role the seed denies Service Quotas, and lets its other roles through', async () => {
    const seed = testSeed();
    const minter = seed.organizations[0].managementAccount.roles.find(
      r => r.name === 'AccountMinter',
    )!;
    minter.deniedServices = ['servicequotas'];
    await start(seed);

    const denied = await quotasAs(running, MINTER_ROLE);
    await expect(
      denied.send(new GetServiceQuotaCommand(ACCOUNT_QUOTA)),
    ).rejects.toBeInstanceOf(AccessDeniedException);
    await expect(
      denied.send(
        new ListServiceQuotasCommand({ ServiceCode: 'organizations' }),
      ),
    ).rejects.toThrow(
      /not authorized to perform: servicequotas:ListServiceQuotas/,
    );

    const allowed = await quotasAs(
      running,
      'arn:aws:iam::200000000001:role/AccountBootstrap',
    );
    const { Quota } = await allowed.send(
      new GetServiceQuotaCommand(ACCOUNT_QUOTA),
    );
    expect(Quota?.Value).toBe(10);
  });

  it('takes the deny option on a seeded user as well', async () => {
    const seed = testSeed();
    seed.accounts[0].users[0].deniedServices = ['servicequotas'];
    await start(seed);
    const quotas = new ServiceQuotasClient(
      clientConfig(running.endpoint, CENTRAL),
    );

    await expect(
      quotas.send(new GetServiceQuotaCommand(ACCOUNT_QUOTA)),
    ).rejects.toBeInstanceOf(AccessDeniedException);
  });

  it('gives a standalone account the default quota of AWS', async () => {
    await start(testSeed({ accountQuota: 50 }));
    const quotas = new ServiceQuotasClient(
      clientConfig(running.endpoint, CENTRAL),
    );

    const { Quota } = await quotas.send(
      new GetServiceQuotaCommand(ACCOUNT_QUOTA),
    );
    expect(Quota).toMatchObject({
      Value: 10,
      QuotaArn:
        'arn:aws:servicequotas:us-east-1:100000000001:organizations/L-29A0C5DF',
    });
  });

  it('follows a change of the organization quota at once', async () => {
    await start(testSeed({ accountQuota: 10 }));
    const quotas = await quotasAs(running, MINTER_ROLE);
    const organization = [...running.sandbox.state.organizations.values()][0];

    organization.accountQuota = 25;

    const { Quota } = await quotas.send(
      new GetServiceQuotaCommand(ACCOUNT_QUOTA),
    );
    expect(Quota?.Value).toBe(25);
  });
});
