import { readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { testDatabases } from './testUtils/databases';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { createBackendModule } from '@backstage/backend-plugin-api';
import {
  accountMintingProvisionersExtensionPoint,
  ProvisionerRegistry,
} from '@regional-minting/plugin-account-minting-node';
import { applyDatabaseMigrations } from './database/migrations';
import { checkHealth } from './service/health';
import request from 'supertest';
import { accountMintingPlugin } from './plugin';
import { mintingTestConfig } from './testUtils/mintingBackend';

// The newest migration file: the one a migrated database reports.
const LATEST_MIGRATION = readdirSync(resolve(__dirname, '../migrations'))
  .filter(name => name.endsWith('.js'))
  .sort()
  .at(-1);

// Health needs no AWS: nothing here calls the endpoint.
const config = mockServices.rootConfig.factory({
  data: mintingTestConfig('http://127.0.0.1:9'),
});

const databases = testDatabases();

// Each test starts a backend and migrates its database: generous, so that a loaded machine
// is slow, never failing.
jest.setTimeout(120_000);

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
        latestMigration: LATEST_MIGRATION,
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
    expect(response.body.reason).toBe(
      'the database did not answer; see the backend log',
    );
    expect(response.body.database.error).toBe(
      'the database did not answer; see the backend log',
    );
  });
});

describe.each(databases.eachSupportedId())(
  'account-minting health on %s',
  id => {
    const provisioners = new ProvisionerRegistry();
    const logger = mockServices.logger.mock();

    it('says starting, not ok, until the whole backend has started', async () => {
      const knex = await databases.init(id);
      await applyDatabaseMigrations(knex);
      let started = false;
      const health = () =>
        checkHealth({ knex, provisioners, logger, started: () => started });

      expect(await health()).toMatchObject({
        status: 'starting',
        reason: expect.stringMatching(/has not finished starting/),
      });
      started = true;
      expect(await health()).toMatchObject({ status: 'ok' });
    });

    it('says unavailable while migrations are missing', async () => {
      const knex = await databases.init(id);
      const health = await checkHealth({
        knex,
        provisioners,
        logger,
        started: () => true,
      });
      expect(health.status).toBe('unavailable');
      expect(health.reason).toMatch(/^\d+ migration\(s\) not applied: /);
    });

    it('lets replicas started together on a fresh database all migrate it', async () => {
      const knex = await databases.init(id);
      // Another replica holds the migration lock; this one waits for it instead of failing.
      await knex.schema.createTable('knex_migrations_lock', table => {
        table.increments('index').primary();
        table.integer('is_locked');
      });
      await knex('knex_migrations_lock').insert({ is_locked: 1 });
      const migrating = applyDatabaseMigrations(knex);
      let done = false;
      migrating.then(() => (done = true));
      await checkHealth({ knex, provisioners, logger, started: () => true });
      expect(done).toBe(false);
      await knex('knex_migrations_lock').update({ is_locked: 0 });
      await migrating;
      expect(await knex.schema.hasTable('creation_slots')).toBe(true);
    });
  },
);
