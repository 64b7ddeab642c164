import { createServiceFactory } from '@backstage/backend-plugin-api';
import { mockServices } from '@backstage/backend-test-utils';
import {
  notificationService,
  NotificationSendOptions,
} from '@backstage/plugin-notifications-node';
import { testDatabases } from '../testUtils/databases';
import { startMintingBackend } from '../testUtils/mintingBackend';
import { waitFor } from '../testUtils/waitFor';

const databases = testDatabases();

// Each test starts a backend and a sandbox of its own and waits for runs: generous, so that
// a loaded machine is slow, never failing. Waits for runs have deadlines of their own.
jest.setTimeout(120_000);

describe.each(databases.eachSupportedId())('drift on %s', id => {
  it('schedules one global check per pipeline, as configured, each starting a check run', async () => {
    const scheduler = mockServices.scheduler.mock();
    const minting = await startMintingBackend({
      knex: await databases.init(id),
      features: [scheduler.factory],
      configure: accountMinting => {
        accountMinting.drift = {
          schedules: {
            mint: { frequency: { minutes: 5 }, timeout: { minutes: 4 } },
          },
        };
      },
    });
    try {
      const tasks = scheduler.scheduleTask.mock.calls.map(([task]) => task);
      expect(
        tasks.map(t => [t.id, t.scope, JSON.stringify(t.frequency)]),
      ).toEqual([
        ['account-minting-drift-mint', 'global', '{"minutes":5}'],
        ['account-minting-drift-bootstrap', 'global', '{"hours":1}'],
        ['account-minting-drift-provision', 'global', '{"hours":24}'],
        // Expires change requests and starts approved ones a crash left behind.
        ['account-minting-changes', 'global', '{"minutes":1}'],
      ]);

      await tasks[0].fn(new AbortController().signal);
      const { body } = await minting.api('get', '/runs?pipeline=mint');
      expect(body.items).toEqual([
        expect.objectContaining({
          mode: 'check',
          region: '*',
          requestedBy: 'plugin:account-minting/scheduler',
        }),
      ]);
      // The drift checks of the whole estate, asked for as the portal's client asks (* as it is).
      const checks = await minting.api('get', '/runs?region=*&pipeline=mint');
      expect(checks.status).toBe(200);
      expect(checks.body.items.map((r: any) => r.id)).toEqual([
        body.items[0].id,
      ]);
      const run = await minting.finished(body.items[0].id);
      expect(run.steps.map((s: any) => s.key)).toEqual([
        'check:control',
        'check:staging-1',
        'check:staging-2',
      ]);
    } finally {
      await minting.stop();
    }
  });

  it('tells the requester and the group of new findings once, and of failed runs', async () => {
    const send = jest.fn(async (_notification: NotificationSendOptions) => {});
    const minting = await startMintingBackend({
      knex: await databases.init(id),
      features: [
        createServiceFactory({
          service: notificationService,
          deps: {},
          factory: () => ({ send }),
        }),
      ],
      configure: accountMinting => {
        accountMinting.drift = { notifyGroup: 'group:default/platform-sre' };
        // The failed run below is an account that never lets the bootstrap in: fail fast.
        (accountMinting.bootstrap as any).readinessTimeoutSeconds = 1;
      },
    });
    try {
      const run = await minting.regionRun({
        environment: 'prod',
        region: 'eu-west-2',
      });
      const account = minting.sandbox.sandbox.state.accounts.get(
        run.steps.find((s: any) => s.key === 'account:prod-eu-west-2-rc')
          .outputs.accountId,
      )!;
      account.tags.region = 'elsewhere';

      for (let i = 0; i < 2; i++) {
        const check = await minting
          .api('post', '/drift/checks')
          .send({ pipeline: 'mint' });
        await minting.finished(check.body.id);
      }
      const drift = send.mock.calls.filter(([n]) =>
        n.payload.title.startsWith('Drift in prod-eu-west-2'),
      );
      expect(drift).toHaveLength(1);
      expect(drift[0][0]).toMatchObject({
        recipients: {
          type: 'entity',
          entityRef: ['user:default/mock', 'group:default/platform-sre'],
        },
        payload: {
          // Every state: by the time the link is followed, the finding may be repaired.
          link: expect.stringMatching(
            /^\/account-minting\/drift\?region=prod-eu-west-2&state=all(&finding=.+)?$/,
          ),
          description: expect.stringContaining('prod-eu-west-2-rc'),
        },
      });

      // A provisioning role the bootstrap cannot reach fails its run, and people hear of it.
      minting.sandbox.sandbox.state.accounts.get(account.id)!.roles = {};
      const failing = await minting.api('post', '/runs').send({
        pipeline: 'bootstrap',
        region: 'prod-eu-west-2',
        account: account.name,
      });
      expect((await minting.finished(failing.body.id)).status).toBe('failed');
      // People hear of it just after the run shows as finished.
      const title = 'bootstrap run of prod-eu-west-2-rc failed';
      await waitFor(`the notification "${title}"`, () =>
        send.mock.calls.some(([n]) => n.payload.title === title),
      );
      expect(send).toHaveBeenLastCalledWith(
        expect.objectContaining({
          recipients: {
            type: 'entity',
            entityRef: ['user:default/mock', 'group:default/platform-sre'],
          },
          payload: expect.objectContaining({
            title,
            link: `/account-minting/runs/${failing.body.id}`,
          }),
        }),
      );
    } finally {
      await minting.stop();
    }
  });
});
