import { defaultSeed, startSandbox } from '@regional-minting/aws-sandbox';
import { JsonObject } from '@backstage/types';
import { testDatabases } from '../testUtils/databases';
import { startMintingBackend } from '../testUtils/mintingBackend';

const databases = testDatabases();

jest.setTimeout(180_000);

// AWS's 30-day window, scaled down to seconds in the sandbox and the engine alike.
// About 21 s: long enough that the third closure waits even when a loaded machine spreads the three apart.
const TIME_SCALE = 8e-6;
const REGION = 'dev-pete-eu-west-1';

describe.each(databases.eachSupportedId())('the close quota on %s', id => {
  it('queues closures beyond the quota until the window frees a slot, then finishes', async () => {
    const seed = defaultSeed();
    // The payer of dev may close two accounts per window.
    seed.organizations.find(
      o => o.managementAccount.id === '400000000001',
    )!.closeAccountQuota = 2;
    const sandbox = await startSandbox({
      port: 0,
      seed,
      timeScale: TIME_SCALE,
    });
    const minting = await startMintingBackend({
      knex: await databases.init(id),
      sandbox,
      configure: (accountMinting: JsonObject) => {
        accountMinting.decommission = {
          closeQuota: 2,
          closeWindowDays: 30 * TIME_SCALE,
        };
      },
    });
    try {
      const minted = await minting.regionRun({
        environment: 'dev',
        region: 'eu-west-1',
        owner: 'pete',
      });
      expect(minted.status).toBe('succeeded');

      const dry = await minting
        .api('post', `/regions/${REGION}/decommission`)
        .send({ dryRun: true });
      expect(dry.body.plan.closeQuota).toMatchObject({
        limit: 2,
        limitSource: 'config',
        left: 2,
        needed: 3,
        nextSlotAt: expect.any(String),
      });

      const started = await minting
        .api('post', `/regions/${REGION}/decommission`)
        .send({});
      const run = await minting.finished(started.body.id);
      expect(run.status).toBe('succeeded');
      const logs = await minting.api('get', `/runs/${run.id}/logs?limit=1000`);
      const waits = logs.body.items.filter((l: any) =>
        /waiting for the close quota of payer staging-2 \(2 per/.test(
          l.message,
        ),
      );
      // One of the three waited for the window; the closures ended all the same.
      expect(waits.length).toBeGreaterThan(0);
      const closed = [...sandbox.sandbox.state.accounts.values()].filter(a =>
        a.name.startsWith(REGION),
      );
      expect(closed.map(a => a.status)).toEqual([
        'SUSPENDED',
        'SUSPENDED',
        'SUSPENDED',
      ]);
      const closes = run.steps.filter((s: any) => s.kind === 'close-account');
      // Waiting is not a failed attempt.
      expect(closes.every((s: any) => s.attempts === 1)).toBe(true);
    } finally {
      await minting.stop();
      await sandbox.close();
    }
  });
});
