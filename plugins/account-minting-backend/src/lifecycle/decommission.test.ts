import { defaultSeed, startSandbox } from '@regional-minting/aws-sandbox';
import { testDatabases } from '../testUtils/databases';
import { BUCKET, withDemoProvisioning } from '../testUtils/demoProvisioning';
import { startMintingBackend } from '../testUtils/mintingBackend';

const databases = testDatabases();

// Whole regions are minted, provisioned and decommissioned against a sandbox of their own.
jest.setTimeout(180_000);

const REGION = 'dev-pete-eu-west-1';
const ACCOUNTS = [`${REGION}-rc`, `${REGION}-mc0`, `${REGION}-mc1`];

describe.each(databases.eachSupportedId())('decommissioning on %s', id => {
  it('plans, then tears a whole region down in reverse, closes its accounts into the closed OU and retires it; again changes nothing', async () => {
    const sandbox = await startSandbox({ port: 0, seed: defaultSeed() });
    const minting = await startMintingBackend({
      knex: await databases.init(id),
      sandbox,
      configure: withDemoProvisioning(),
    });
    const state = sandbox.sandbox.state;
    const mutating = () =>
      sandbox.sandbox.calls
        .list()
        .filter(c => c.mutating && c.operation !== 'AssumeRole');
    try {
      const minted = await minting.regionRun({
        environment: 'dev',
        region: 'eu-west-1',
        owner: 'pete',
      });
      expect(minted.status).toBe('succeeded');
      const accountIds = Object.fromEntries(
        [...state.accounts.values()]
          .filter(a => ACCOUNTS.includes(a.name))
          .map(a => [a.name, a.id]),
      );

      // The plan first: every account to close, the steps destroyed, the OU deleted; nothing changes.
      sandbox.sandbox.calls.clear();
      const dry = await minting
        .api('post', `/regions/${REGION}/decommission`)
        .send({ dryRun: true });
      expect(dry.status).toBe(200);
      expect(mutating()).toEqual([]);
      const { plan } = dry.body;
      const actions = (name: string) =>
        plan.actions.filter((a: any) => a.action === name);
      expect(
        actions('destroy')
          .map((a: any) => a.target)
          .sort(),
      ).toEqual(
        [
          ...ACCOUNTS.map(a => `Destroy cluster of ${a}`),
          'Tear down maestro',
        ].sort(),
      );
      expect(
        actions('close-account')
          .map((a: any) => a.target)
          .sort(),
      ).toEqual([...ACCOUNTS].sort());
      expect(actions('delete-role')).toHaveLength(3);
      expect(actions('delete-ou')).toEqual([
        expect.objectContaining({
          target: `Root/rosa-regional-platform/dev/${REGION}`,
          reason: 'once its 3 accounts have moved to the closed OU',
        }),
      ]);
      expect(actions('retire-region')).toHaveLength(1);
      expect(plan.closeQuota).toMatchObject({
        payer: 'staging-2',
        limit: 10,
        limitSource: 'computed',
        used: 0,
        left: 10,
        needed: 3,
        windowDays: 30,
      });

      const started = await minting
        .api('post', `/regions/${REGION}/decommission`)
        .send({});
      expect(started.status).toBe(202);
      expect(started.body.pipeline).toBe('decommission');
      // Out of the desired state at once: nothing mints it while it goes.
      const going = await minting.api('get', `/regions/${REGION}`);
      expect(going.body.status).toBe('decommissioning');
      const run = await minting.finished(started.body.id);
      expect(run.status).toBe('succeeded');

      // The region run's graph undone: the join first, each account's steps in reverse, then the OU.
      const steps = Object.fromEntries(run.steps.map((s: any) => [s.key, s]));
      expect(steps['teardown:maestro'].dependsOn).toEqual([]);
      expect(steps[`destroy:${REGION}-mc0:cluster`].dependsOn).toEqual([
        'teardown:maestro',
      ]);
      expect(steps[`remove-role:${REGION}-mc0`].dependsOn).toEqual([
        `destroy:${REGION}-mc0:cluster`,
      ]);
      expect(steps[`close:${REGION}-mc0`].dependsOn).toEqual([
        `remove-role:${REGION}-mc0`,
      ]);
      expect(steps['delete-region-ou'].dependsOn.sort()).toEqual(
        ACCOUNTS.map(a => `close:${a}`).sort(),
      );
      const finished = (key: string) => Date.parse(steps[key].finishedAt);
      const startedAt = (key: string) => Date.parse(steps[key].startedAt);
      expect(startedAt(`destroy:${REGION}-rc:cluster`)).toBeGreaterThanOrEqual(
        finished('teardown:maestro'),
      );

      // In AWS: every account SUSPENDED in Root/Suspended, its roles gone, the region OU gone.
      const suspended = [...state.containers.values()].find(
        c => c.name === 'Suspended',
      );
      expect(suspended).toBeDefined();
      for (const name of ACCOUNTS) {
        const account = state.accounts.get(accountIds[name])!;
        expect(account.status).toBe('SUSPENDED');
        expect(account.parentId).toBe(suspended!.id);
        expect(Object.keys(account.roles)).not.toContain(
          'account-minting-provisioner',
        );
        expect(Object.keys(account.roles)).not.toContain(
          'regional-cluster-cluster',
        );
      }
      expect([...state.containers.values()].some(c => c.name === REGION)).toBe(
        false,
      );
      const bucket = state.buckets.get(BUCKET)!;
      expect(
        Object.keys(bucket.objects).filter(
          k =>
            k.startsWith(`regions/${REGION}/`) ||
            Object.values(accountIds).some(i => k.startsWith(`accounts/${i}/`)),
        ),
      ).toEqual([]);

      // The region's record stays, decommissioned by whom and when, out of the desired state.
      const region = await minting.api('get', `/regions/${REGION}`);
      expect(region.body).toMatchObject({
        status: 'decommissioned',
        decommissionedBy: expect.any(String),
      });
      const estate = await minting.api('get', '/estate?refresh=true');
      const dev = estate.body.payers
        .find((p: any) => p.name === 'staging-2')
        .environments.find((e: any) => e.name === 'dev');
      expect(dev.regions.some((r: any) => r.name === REGION)).toBe(false);
      const closed = estate.body.payers.find(
        (p: any) => p.name === 'staging-2',
      ).closedOu;
      expect(closed.name).toBe('Suspended');
      expect(
        closed.accounts.map((a: any) => [a.name, a.status]).sort(),
      ).toEqual(ACCOUNTS.map(a => [a, 'SUSPENDED']).sort());
      const drift = await minting
        .api('post', '/drift/checks')
        .send({ pipeline: 'mint' });
      await minting.finished(drift.body.id);
      const findings = await minting.api('get', `/drift?region=${REGION}`);
      expect(findings.body.items).toEqual([]);

      // Again: the same plan's run finds everything done and changes nothing.
      sandbox.sandbox.calls.clear();
      const again = await minting
        .api('post', `/regions/${REGION}/decommission`)
        .send({});
      expect(again.status).toBe(202);
      expect((await minting.finished(again.body.id)).status).toBe('succeeded');
      expect(mutating()).toEqual([]);
    } finally {
      await minting.stop();
      await sandbox.close();
    }
  });
});
