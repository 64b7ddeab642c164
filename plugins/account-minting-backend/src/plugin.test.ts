import { testDatabases } from './__testUtils__/databases';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { createBackendModule } from '@backstage/backend-plugin-api';
import { accountMintingProvisionersExtensionPoint } from '@regional-minting/plugin-account-minting-node';
import request from 'supertest';
import { accountMintingPlugin } from './plugin';
import { mintingTestConfig } from './__testUtils__/mintingBackend';

// Health needs no AWS: nothing here calls the endpoint.
const config = mockServices.rootConfig.factory({
  data: mintingTestConfig('http://127.0.0.1:9'),
});

const databases = testDatabases();

const helmModule = createBackendModule({
  pluginId: 'account-minting',
  moduleId: 'test-helm',
  register(reg) {
    reg.registerInit({
      deps: { provisioners: accountMintingProvisionersExtensionPoint },
      async init({ provisioners }) {
        provisioners.addProvisioner({
          name: 'helm',
          provision: async () => ({}),
        });
      },
    });
  },
});

describe.each(databases.eachSupportedId())('account-minting on %s', id => {
  it('migrates its database at start and reports healthy without sign-in', async () => {
    const knex = await databases.init(id);
    const { server } = await startTestBackend({
      features: [
        accountMintingPlugin,
        helmModule,
        config,
        mockServices.database.factory({ knex }),
      ],
    });

    const response = await request(server)
      .get('/api/account-minting/health')
      .set('Authorization', 'Bearer mock-none-token');

    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      status: 'ok',
      database: {
        client: expect.stringMatching(/^(pg|better-sqlite3)$/),
        latestMigration: '20261128000300_drift.js',
      },
      provisioners: ['command', 'helm', 'terraform'],
    });
    expect(await knex.schema.hasTable('requested_regions')).toBe(true);
  });

  it('reports unavailable, without the driver error, when the database is gone', async () => {
    const knex = await databases.init(id);
    const { server } = await startTestBackend({
      features: [
        accountMintingPlugin,
        config,
        mockServices.database.factory({ knex }),
      ],
    });
    await knex.destroy();

    const response = await request(server).get('/api/account-minting/health');

    expect(response.status).toBe(503);
    expect(response.body.status).toBe('unavailable');
    expect(response.body.database.error).toBe(
      'the database did not answer; see the backend log',
    );
  });
});
