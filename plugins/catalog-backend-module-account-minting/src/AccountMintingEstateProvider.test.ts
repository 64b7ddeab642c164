import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { EntityProviderConnection } from '@backstage/plugin-catalog-node';
import { eventually } from '@regional-minting/plugin-account-minting-backend/testUtils';
import { Estate } from '@regional-minting/plugin-account-minting-common';
import {
  estateFixture,
  withoutAccount,
} from '@regional-minting/plugin-account-minting-common/testUtils';
import {
  RUN_FINISHED_TOPIC,
  RunFinishedEventPayload,
} from '@regional-minting/plugin-account-minting-node';
import {
  AccountMintingEstateProvider,
  AccountMintingEstateProviderOptions,
} from './AccountMintingEstateProvider';
import { readEstateCatalogConfig } from './catalogConfig';

function fakeConnection() {
  return {
    applyMutation: jest.fn(async () => {}),
    refresh: jest.fn(async () => {}),
  } satisfies EntityProviderConnection;
}

/** The entity refs of each full mutation applied, in order. */
function mutations(connection: ReturnType<typeof fakeConnection>) {
  return connection.applyMutation.mock.calls.map(([mutation]: any[]) => {
    expect(mutation.type).toBe('full');
    return mutation.entities.map(
      (e: any) => `${e.entity.kind}:${e.entity.metadata.name}`,
    );
  });
}

/** The entity named so in a mutation. */
function entityOf(mutation: any, name: string) {
  return mutation.entities.find((e: any) => e.entity.metadata.name === name);
}

function setup(overrides: Partial<AccountMintingEstateProviderOptions> = {}) {
  const getEstate = jest.fn(
    async (
      _query?: { refresh?: boolean },
      _options?: { token?: string },
    ): Promise<Estate> => estateFixture(),
  );
  const logger = mockServices.logger.mock();
  const provider = new AccountMintingEstateProvider({
    client: { getEstate },
    auth: mockServices.auth({ pluginId: 'catalog' }),
    logger,
    defaultOwner: 'group:default/platform-sre',
    appBaseUrl: 'http://portal.test:3000',
    ...overrides,
  });
  return { provider, getEstate, logger, connection: fakeConnection() };
}

describe('AccountMintingEstateProvider', () => {
  it('publishes the desired estate as a full mutation, reading it with a service token of the catalog', async () => {
    const { provider, getEstate, connection } = setup();
    expect(provider.getProviderName()).toBe('account-minting-estate');
    await provider.connect(connection);

    await provider.refresh();

    expect(getEstate).toHaveBeenCalledWith(
      {},
      { token: expect.stringContaining('"target":"account-minting"') },
    );
    expect(getEstate.mock.calls[0][1]?.token).toContain('plugin:catalog');
    expect(mutations(connection)).toEqual([
      [
        'System:dev-kirk-us-east-2',
        'Resource:dev-kirk-us-east-2-rc',
        'Resource:dev-kirk-us-east-2-mc0',
        'Resource:dev-kirk-us-east-2-mc1',
        'System:dev-spock-eu-west-1',
        'Resource:dev-spock-eu-west-1-rc',
        'System:prod-us-east-1',
        'Resource:prod-us-east-1-rc',
        'Resource:prod-us-east-1-mc0',
      ],
    ]);
    const [[mutation]] = connection.applyMutation.mock.calls as any[];
    expect(entityOf(mutation, 'prod-us-east-1-rc')).toEqual({
      locationKey: 'account-minting-estate',
      entity: expect.objectContaining({
        kind: 'Resource',
        spec: {
          type: 'aws-account',
          owner: 'group:default/platform-sre',
          system: 'prod-us-east-1',
        },
      }),
    });
  });

  it('drops an account that left the desired state from the next mutation, and a region that did', async () => {
    const { provider, getEstate, connection } = setup();
    await provider.connect(connection);
    await provider.refresh();

    getEstate.mockResolvedValueOnce(
      withoutAccount(estateFixture(), 'dev-kirk-us-east-2-mc0'),
    );
    await provider.refresh();
    const withoutSpock = estateFixture();
    const dev = withoutSpock.payers[0].environments[0];
    dev.regions = dev.regions.filter(r => r.name !== 'dev-spock-eu-west-1');
    getEstate.mockResolvedValueOnce(withoutSpock);
    await provider.refresh();

    const [first, second, third] = mutations(connection);
    expect(first).toContain('Resource:dev-kirk-us-east-2-mc0');
    expect(second).toEqual(
      first.filter((ref: string) => ref !== 'Resource:dev-kirk-us-east-2-mc0'),
    );
    expect(third).not.toContain('System:dev-spock-eu-west-1');
    expect(third).not.toContain('Resource:dev-spock-eu-west-1-rc');
    expect(third).toContain('Resource:dev-kirk-us-east-2-mc0');
  });

  it('keeps what the catalog has when the estate cannot be read', async () => {
    const { provider, getEstate, connection, logger } = setup();
    await provider.connect(connection);
    getEstate.mockRejectedValueOnce(new Error('503 Service Unavailable'));

    await expect(provider.refresh()).rejects.toThrow('503');

    expect(connection.applyMutation).not.toHaveBeenCalled();
    expect(logger.warn).toHaveBeenCalledWith(
      'could not read the account-minting estate: Error: 503 Service Unavailable',
    );
    await provider.refresh();
    expect(connection.applyMutation).toHaveBeenCalledTimes(1);
  });

  it('keeps the account ids last seen of a payer whose organization could not be read', async () => {
    const { provider, getEstate, connection } = setup();
    await provider.connect(connection);
    await provider.refresh();
    const unread = estateFixture();
    const payer = unread.payers.find(p => p.name === 'staging-2')!;
    payer.error = 'could not read the staging-2 organization: throttled';
    for (const region of payer.environments[0].regions) {
      region.observed = false;
      region.accounts.forEach(a => {
        a.id = undefined;
        a.observed = false;
      });
    }
    getEstate.mockResolvedValueOnce(unread);

    await provider.refresh();

    const [, [mutation]] = connection.applyMutation.mock.calls as any[];
    const mc0 = entityOf(mutation, 'dev-kirk-us-east-2-mc0');
    expect(mc0.entity.metadata.annotations['account-minting/account-id']).toBe(
      '400000000102',
    );
  });

  it('refreshes at most once at a time, and once more for all the calls made meanwhile', async () => {
    const { provider, getEstate, connection } = setup();
    await provider.connect(connection);
    let release!: () => void;
    getEstate.mockImplementationOnce(async () => {
      await new Promise<void>(resolve => {
        release = resolve;
      });
      return estateFixture();
    });

    const first = provider.refresh();
    const second = provider.refresh();
    const third = provider.refresh();
    expect(third).toBe(second);
    await eventually(() => expect(release).toBeDefined());
    expect(getEstate).toHaveBeenCalledTimes(1);
    release();
    await Promise.all([first, second, third]);

    expect(getEstate).toHaveBeenCalledTimes(2);
    expect(connection.applyMutation).toHaveBeenCalledTimes(2);
  });

  it('refreshes when a run finishes, on the events service', async () => {
    const events = mockServices.events();
    const { provider, getEstate, connection } = setup({ events });
    await provider.connect(connection);
    expect(connection.applyMutation).not.toHaveBeenCalled();

    getEstate.mockResolvedValueOnce(
      withoutAccount(estateFixture(), 'prod-us-east-1-mc0'),
    );
    const eventPayload: RunFinishedEventPayload = {
      runId: 'run-1',
      pipeline: 'region',
      mode: 'apply',
      region: 'prod-us-east-1',
      status: 'succeeded',
      finishedAt: '2026-12-01T10:05:00.000Z',
    };
    await events.publish({ topic: RUN_FINISHED_TOPIC, eventPayload });

    await eventually(() =>
      expect(connection.applyMutation).toHaveBeenCalledTimes(1),
    );
    expect(mutations(connection)[0]).not.toContain(
      'Resource:prod-us-east-1-mc0',
    );
    // Other topics do not refresh. With no refresh under way, one of the test's own makes
    // the third publication, or the fourth behind one that the other topic started.
    await provider.refresh();
    await events.publish({ topic: 'account-minting.other', eventPayload: {} });
    await provider.refresh();
    expect(connection.applyMutation).toHaveBeenCalledTimes(3);
  });

  it('schedules a global refresh every refreshMinutes, soon after start', async () => {
    const scheduler = mockServices.scheduler.mock();
    const { provider, connection } = setup({ scheduler, refreshMinutes: 3 });
    await provider.connect(connection);

    expect(scheduler.scheduleTask).toHaveBeenCalledTimes(1);
    const [[task]] = scheduler.scheduleTask.mock.calls;
    expect(task).toEqual(
      expect.objectContaining({
        id: 'account-minting-estate-refresh',
        scope: 'global',
        frequency: { minutes: 3 },
        initialDelay: { seconds: 15 },
      }),
    );
    await task.fn(new AbortController().signal);
    expect(connection.applyMutation).toHaveBeenCalledTimes(1);
  });

  it('is built from configuration with the account-minting client, through discovery', async () => {
    const discovery = mockServices.discovery();
    const fetch = jest
      .spyOn(globalThis, 'fetch')
      .mockResolvedValue(new Response(JSON.stringify(estateFixture())));
    try {
      const provider = AccountMintingEstateProvider.fromConfig(
        mockServices.rootConfig({
          data: {
            app: { baseUrl: 'http://portal.test:3000' },
            accountMinting: { catalog: { owner: 'group:sre' } },
          },
        }),
        {
          discovery,
          auth: mockServices.auth({ pluginId: 'catalog' }),
          logger: mockServices.logger.mock(),
        },
      );
      const connection = fakeConnection();
      await provider.connect(connection);
      await provider.refresh();

      expect(fetch).toHaveBeenCalledWith(
        `${await discovery.getBaseUrl('account-minting')}/estate`,
        expect.objectContaining({
          method: 'GET',
          headers: { Authorization: expect.stringMatching(/^Bearer /) },
        }),
      );
      const [[mutation]] = connection.applyMutation.mock.calls as any[];
      expect(entityOf(mutation, 'prod-us-east-1').entity.spec.owner).toBe(
        'group:default/sre',
      );
      expect(
        entityOf(mutation, 'prod-us-east-1-rc').entity.metadata.links[0].url,
      ).toBe(
        'http://portal.test:3000/account-minting/accounts/prod-us-east-1-rc',
      );
    } finally {
      fetch.mockRestore();
    }
  });
});

describe('readEstateCatalogConfig', () => {
  const read = (catalog?: object) =>
    readEstateCatalogConfig(
      new ConfigReader(catalog ? { accountMinting: { catalog } } : {}),
    );

  it('defaults to the platform SRE group and every 10 minutes', () => {
    expect(read()).toEqual({
      owner: 'group:default/platform-sre',
      refreshMinutes: 10,
    });
    expect(read({})).toEqual(read());
  });

  it('reads the owner, normalized, and the refresh period', () => {
    expect(read({ owner: 'user:kirk', refreshMinutes: 2 })).toEqual({
      owner: 'user:default/kirk',
      refreshMinutes: 2,
    });
  });

  it('refuses an owner that is not a user or group, and a refresh period out of range', () => {
    expect(() => read({ owner: 'component:default/x' })).toThrow(
      'accountMinting.catalog.owner: component:default/x is not a user or group entity ref such as group:default/platform-sre',
    );
    expect(() => read({ refreshMinutes: 0 })).toThrow(
      'accountMinting.catalog.refreshMinutes: 0 must be more than 0 and at most 1440',
    );
  });
});
