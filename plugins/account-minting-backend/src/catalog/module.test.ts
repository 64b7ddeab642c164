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
import request from 'supertest';
import { testDatabases } from '../__testUtils__/databases';
import { mintingTestConfig } from '../__testUtils__/mintingBackend';
import { accountMintingPlugin } from '../plugin';
import { catalogModuleAccountMintingEstate } from './module';

const databases = testDatabases();

jest.setTimeout(60_000);

describe.each(databases.eachSupportedId())('the catalog module on %s', id => {
  it('lists the accounts of a region in the catalog once its run finished', async () => {
    const sandbox = await startSandbox({ port: 0, seed: defaultSeed() });
    const mintingKnex = await databases.init(id);
    const catalogKnex = await databases.init(id);
    const backend = await startTestBackend({
      features: [
        accountMintingPlugin,
        catalogPlugin,
        catalogModuleAccountMintingEstate,
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
            ...mintingTestConfig(sandbox.endpoint),
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
      let run = created.body.run;
      while (!run.finishedAt) {
        await new Promise(resolve => setTimeout(resolve, 20));
        run = (
          await request(server)
            .get(`/api/account-minting/runs/${run.id}`)
            .set('Authorization', `Bearer ${token}`)
        ).body;
      }
      expect(run.status).toBe('succeeded');

      // The scheduled refresh waits 15 seconds: what lists the accounts sooner is the
      // plugin announcing that the run finished.
      let resources: any[] = [];
      for (let i = 0; resources.length < 3; i++) {
        // Well before the scheduled refresh at 15 s.
        if (i > 200)
          throw new Error('the catalog did not list the accounts within 10 s');
        await new Promise(resolve => setTimeout(resolve, 50));
        const { body } = await request(server)
          .get('/api/catalog/entities?filter=kind=resource')
          .set('Authorization', `Bearer ${token}`);
        resources = body;
      }
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
