import { createServiceFactory } from '@backstage/backend-plugin-api';
import {
  notificationService,
  NotificationSendOptions,
} from '@backstage/plugin-notifications-node';
import { testDatabases } from '../testUtils/databases';
import { startMintingBackend } from '../testUtils/mintingBackend';
import { waitFor } from '../testUtils/waitFor';

const databases = testDatabases();

// A backend and a sandbox of its own, and region runs to wait for: generous, so that a
// loaded machine is slow, never failing.
jest.setTimeout(120_000);

describe('region ready notifications', () => {
  it('tells the requester once that their region is ready, not again after a run that found it ready', async () => {
    // The notifications service as the plugin gets it, with a mock send.
    const send = jest.fn(async (_notification: NotificationSendOptions) => {});
    const minting = await startMintingBackend({
      knex: await databases.init('SQLITE_3'),
      features: [
        createServiceFactory({
          service: notificationService,
          deps: {},
          factory: () => ({ send }),
        }),
      ],
    });
    const ready = () =>
      send.mock.calls.filter(([n]) => n.payload.title.endsWith('is ready'));
    try {
      const run = await minting.regionRun({
        environment: 'dev',
        region: 'us-east-2',
        owner: 'kirk',
      });
      expect(run.status).toBe('succeeded');
      await waitFor('the region ready notification', () => ready().length > 0);
      expect(ready()).toEqual([
        [
          {
            recipients: { type: 'entity', entityRef: ['user:default/mock'] },
            payload: expect.objectContaining({
              title: `Region ${run.region} is ready`,
              link: `/account-minting/regions/${run.region}`,
            }),
          },
        ],
      ]);

      // A run of the ready region again changes nothing, and nobody hears of it.
      const again = await minting
        .api('post', '/runs')
        .send({ pipeline: 'region', region: run.region });
      expect(again.status).toBe(202);
      expect((await minting.finished(again.body.id)).status).toBe('succeeded');
      // Another region's run, which takes far longer than telling of the run above would,
      // goes by before nobody is found to have heard of that run.
      const other = await minting.regionRun({
        environment: 'prod',
        region: 'eu-west-2',
      });
      await waitFor('the other region ready notification', () =>
        ready().some(([n]) => n.payload.title.includes(other.region)),
      );
      expect(ready().map(([n]) => n.payload.title)).toEqual([
        `Region ${run.region} is ready`,
        `Region ${other.region} is ready`,
      ]);
    } finally {
      await minting.stop();
    }
  });
});
