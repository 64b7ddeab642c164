import { defaultSeed, startSandbox } from '@regional-minting/aws-sandbox';
import { testDatabases } from '../testUtils/databases';
import { withDemoProvisioning } from '../testUtils/demoProvisioning';
import { startMintingBackend } from '../testUtils/mintingBackend';

const databases = testDatabases();

jest.setTimeout(180_000);

const REGION = 'dev-pete-eu-west-1';
const mc = (i: number) => `${REGION}-mc${i}`;

describe.each(databases.eachSupportedId())('scaling on %s', id => {
  it('grows a live region from 2 to 4 MCs and joins them, then shrinks it back, decommissioning the two newest', async () => {
    const sandbox = await startSandbox({ port: 0, seed: defaultSeed() });
    const minting = await startMintingBackend({
      knex: await databases.init(id),
      sandbox,
      configure: withDemoProvisioning(),
    });
    const statusOf = (name: string) =>
      [...sandbox.sandbox.state.accounts.values()].find(a => a.name === name)
        ?.status;
    const scale = (body: object) =>
      minting.api('patch', `/regions/${REGION}`).send(body);
    try {
      const minted = await minting.regionRun({
        environment: 'dev',
        region: 'eu-west-1',
        owner: 'pete',
      });
      expect(minted.status).toBe('succeeded');

      // Growing: the plan mints two accounts; the run provisions them and joins all four.
      const planUp = await scale({
        accountRoles: { 'management-cluster': 4 },
        dryRun: true,
      });
      expect(planUp.status).toBe(200);
      expect(
        planUp.body.plan.actions
          .filter((a: any) => a.action === 'create-account')
          .map((a: any) => a.target),
      ).toEqual([mc(2), mc(3)]);
      expect(planUp.body.plan.quota).toMatchObject({ needed: 2 });
      const up = await scale({ accountRoles: { 'management-cluster': 4 } });
      expect(up.status).toBe(202);
      const grown = await minting.finished(up.body.id);
      expect(grown.status).toBe('succeeded');
      const join = (run: any) =>
        run.steps.find((s: any) => s.key === 'region:maestro');
      expect(join(grown).outputs.consumers.sort()).toEqual(
        [mc(0), mc(1), mc(2), mc(3)].sort(),
      );
      expect(statusOf(mc(3))).toBe('ACTIVE');
      const region = await minting.api('get', `/regions/${REGION}`);
      expect(region.body.accounts.map((a: any) => a.name)).toContain(mc(3));

      // Asking for the counts it has changes nothing.
      expect(
        (await scale({ accountRoles: { 'management-cluster': 4 } })).status,
      ).toBe(409);
      // Growing one role while shrinking another is two changes.
      const mixed = await scale({
        accountRoles: { 'management-cluster': 5, 'regional-cluster': 0 },
        dryRun: true,
      });
      expect(mixed.status).toBe(400);
      expect(mixed.body.fields.accountRoles).toMatch(/separate changes/);

      // Shrinking: the two newest go; the join runs first without them.
      const planDown = await scale({
        accountRoles: { 'management-cluster': 2 },
        dryRun: true,
      });
      expect(planDown.status).toBe(200);
      expect(
        planDown.body.plan.actions
          .filter((a: any) => a.action === 'close-account')
          .map((a: any) => a.target)
          .sort(),
      ).toEqual([mc(2), mc(3)]);
      expect(planDown.body.plan.closeQuota).toMatchObject({ needed: 2 });
      const down = await scale({ accountRoles: { 'management-cluster': 2 } });
      expect(down.status).toBe(202);
      expect(down.body.pipeline).toBe('decommission');
      const shrunk = await minting.finished(down.body.id);
      expect(shrunk.status).toBe('succeeded');
      expect(join(shrunk).outputs.consumers.sort()).toEqual([mc(0), mc(1)]);
      const closeMc3 = shrunk.steps.find(
        (s: any) => s.key === `close:${mc(3)}`,
      );
      expect(closeMc3.dependsOn).toEqual([`remove-role:${mc(3)}`]);
      expect(
        shrunk.steps.find((s: any) => s.key === `destroy:${mc(3)}:cluster`)
          .dependsOn,
      ).toContain('region:maestro');
      expect([mc(2), mc(3)].map(statusOf)).toEqual(['SUSPENDED', 'SUSPENDED']);
      expect([mc(0), mc(1)].map(statusOf)).toEqual(['ACTIVE', 'ACTIVE']);
      const after = await minting.api('get', `/regions/${REGION}`);
      expect(after.body.status).toBe('active');
      expect(after.body.accounts.map((a: any) => a.name).sort()).toEqual(
        [`${REGION}-rc`, mc(0), mc(1)].sort(),
      );

      // Growing again: new names, never a closed account's.
      const again = await scale({
        accountRoles: { 'management-cluster': 3 },
        dryRun: true,
      });
      expect(
        again.body.plan.actions
          .filter((a: any) => a.action === 'create-account')
          .map((a: any) => a.target),
      ).toEqual([mc(4)]);
    } finally {
      await minting.stop();
      await sandbox.close();
    }
  });
});
