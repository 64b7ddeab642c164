import {
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import { eventsServiceFactory } from '@backstage/plugin-events-node';
import { defaultSeed, startSandbox } from '@regional-minting/aws-sandbox';
import accountMintingPlugin from '@regional-minting/plugin-account-minting-backend';
import {
  mintingTestConfig,
  testDatabases,
  waitFor,
} from '@regional-minting/plugin-account-minting-backend/testUtils';
import request from 'supertest';
import { ESTATE_REFRESH_TASK_ID } from './AccountMintingEstateProvider';
import { catalogModuleAccountMintingEstate } from './module';

const databases = testDatabases();

// The test starts a backend with the catalog and the plugin, and a sandbox, and waits for a
// region and the catalog: generous, so that a loaded machine is slow, never failing.
jest.setTimeout(120_000);

describe.each(databases.eachSupportedId())('the catalog module on %s', id => {
  it('lists the accounts of a region in the catalog once its run finished', async () => {
    const sandbox = await startSandbox({ port: 0, seed: defaultSeed() });
    const scheduler = mockServices.scheduler.mock();
    const mintingKnex = await databases.init(id);
    const catalogKnex = await databases.init(id);
    const config = mintingTestConfig(sandbox.endpoint);
    // The module's key in the section the account-minting plugin reads: the plugin reads
    // its configuration past it (one backend may run both).
    (config.accountMinting as any).catalog = {
      owner: 'group:default/platform-sre',
      refreshMinutes: 5,
    };
    const backend = await startTestBackend({
      features: [
        accountMintingPlugin,
        catalogPlugin,
        catalogModuleAccountMintingEstate,
        scheduler.factory,
        // The real events service: one bus in the process for every plugin.
        eventsServiceFactory,
        // A database per plugin, as a real backend has.
        createServiceFactory({
          service: coreServices.database,
          deps: { plugin: coreServices.pluginMetadata },
          factory: ({ plugin }) => ({
            getClient: async () =>
              plugin.getId() === 'catalog' ? catalogKnex : mintingKnex,
          }),
        }),
        mockServices.rootConfig.factory({
          data: {
            ...config,
            app: { baseUrl: 'http://portal.test:3000' },
            events: { useEventBus: 'never' },
          },
        }),
      ],
    });
    const server = backend.server;
    const token = mockCredentials.user.token('user:default/kirk');
    try {
      const created = await request(server)
        .post('/api/account-minting/regions')
        .set('Authorization', `Bearer ${token}`)
        .send({ environment: 'prod', region: 'us-east-1' });
      expect(created.status).toBe(202);
      const runId = created.body.run.id;
      const run = await waitFor(`run ${runId} to finish`, async () => {
        const { body } = await request(server)
          .get(`/api/account-minting/runs/${runId}`)
          .set('Authorization', `Bearer ${token}`);
        return body.finishedAt ? body : undefined;
      });
      expect(run.status).toBe('succeeded');

      // The scheduler of this backend runs no task, so the scheduled refresh never comes:
      // what lists the accounts is the plugin announcing that the run finished.
      const resources: any[] = await waitFor(
        'the catalog to list the accounts',
        async () => {
          const { body } = await request(server)
            .get('/api/catalog/entities?filter=kind=resource')
            .set('Authorization', `Bearer ${token}`);
          return body.length >= 3 ? body : undefined;
        },
      );
      expect(
        scheduler.scheduleTask.mock.calls.map(([task]) => task),
      ).toContainEqual(
        expect.objectContaining({
          id: ESTATE_REFRESH_TASK_ID,
          frequency: { minutes: 5 },
        }),
      );
      expect(resources.map(e => e.metadata.name).sort()).toEqual([
        'prod-us-east-1-mc0',
        'prod-us-east-1-mc1',
        'prod-us-east-1-rc',
      ]);
      const rc = resources.find(e => e.metadata.name === 'prod-us-east-1-rc');
      expect(rc.spec).toEqual({
        type: 'aws-account',
        owner: 'user:default/kirk',
        system: 'prod-us-east-1',
      });
      expect(rc.metadata.annotations).toEqual(
        expect.objectContaining({
          'account-minting/account-id': expect.stringMatching(/^\d{12}$/),
          'account-minting/payer': 'control',
          'account-minting/role': 'regional-cluster',
          'account-minting/ou-path':
            'Root/rosa-regional-platform/prod/prod-us-east-1',
        }),
      );
      const system = await request(server)
        .get('/api/catalog/entities/by-name/system/default/prod-us-east-1')
        .set('Authorization', `Bearer ${token}`);
      expect(system.status).toBe(200);
      expect(system.body.spec.owner).toBe('user:default/kirk');
    } finally {
      await backend.stop();
      await sandbox.close();
    }
  });
});
