import { testDatabases } from '../../testUtils/databases';
import { defaultSeed, startSandbox } from '@regional-minting/aws-sandbox';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startMintingBackend } from '../../testUtils/mintingBackend';
import { waitFor } from '../../testUtils/waitFor';
import {
  BUCKET,
  node,
  withDemoProvisioning,
} from '../../testUtils/demoProvisioning';

const databases = testDatabases();

// Each test runs whole regions, provisioning processes included, against a backend and a
// sandbox of its own: generous, so that a loaded machine is slow, never failing.
jest.setTimeout(120_000);

describe.each(databases.eachSupportedId())('a region run on %s', id => {
  it('takes a region from nothing to provisioned and joined, then has nothing to change', async () => {
    const sandbox = await startSandbox({ port: 0, seed: defaultSeed() });
    const minting = await startMintingBackend({
      knex: await databases.init(id),
      sandbox,
      configure: withDemoProvisioning(),
    });
    try {
      // Seen before the run: the estate must not keep showing this observation after it.
      await minting.api('get', '/estate');
      const run = await minting.regionRun({
        environment: 'dev',
        region: 'eu-west-1',
        owner: 'pete',
      });
      expect(run.status).toBe('succeeded');
      const byKey = Object.fromEntries(run.steps.map((s: any) => [s.key, s]));
      expect(
        byKey['provision:dev-pete-eu-west-1-mc1:cluster'].dependsOn,
      ).toEqual(['bootstrap:dev-pete-eu-west-1-mc1']);
      expect(byKey['region:maestro'].dependsOn).toEqual([
        'provision:dev-pete-eu-west-1-rc:cluster',
        'provision:dev-pete-eu-west-1-mc0:cluster',
        'provision:dev-pete-eu-west-1-mc1:cluster',
      ]);
      expect(byKey['region:maestro'].outputs).toEqual({
        maestro: 'dev-pete-eu-west-1-rc',
        consumers: ['dev-pete-eu-west-1-mc0', 'dev-pete-eu-west-1-mc1'],
      });

      // Each account got its cluster (as its provisioning role), and each step its state in the central bucket.
      const rcId = byKey['account:dev-pete-eu-west-1-rc'].outputs.accountId;
      expect(
        sandbox.sandbox.state.accounts.get(rcId)!.roles[
          'regional-cluster-cluster'
        ],
      ).toBeDefined();
      const keys = Object.keys(
        sandbox.sandbox.state.buckets.get(BUCKET)!.objects,
      ).sort();
      expect(keys).toContain(`accounts/${rcId}/cluster.tfstate`);
      expect(keys).toContain('regions/dev-pete-eu-west-1/maestro.tfstate');
      expect(keys).toHaveLength(4);

      const logs = await minting.api('get', `/runs/${run.id}/logs`);
      expect(logs.body.items.map((l: any) => l.message)).toContain(
        'created cluster role regional-cluster-cluster',
      );

      // The estate shows each account's last result of each pipeline, and the region's run.
      const estate = await minting.api('get', '/estate');
      const dev = estate.body.payers
        .find((p: any) => p.name === 'staging-2')
        .environments.find((e: any) => e.name === 'dev');
      const region = dev.regions.find(
        (r: any) => r.name === 'dev-pete-eu-west-1',
      );
      expect(region.lastRun).toMatchObject({
        runId: run.id,
        status: 'succeeded',
      });
      expect(region.accounts.map((a: any) => a.name).sort()).toEqual([
        'dev-pete-eu-west-1-mc0',
        'dev-pete-eu-west-1-mc1',
        'dev-pete-eu-west-1-rc',
      ]);
      for (const account of region.accounts) {
        expect(account).toMatchObject({ desired: true, observed: true });
        expect(Object.keys(account.lastRuns).sort()).toEqual([
          'bootstrap',
          'mint',
          'provision',
        ]);
        for (const result of Object.values<any>(account.lastRuns)) {
          expect(result).toMatchObject({ runId: run.id, status: 'succeeded' });
          expect(Date.parse(result.finishedAt)).toBeGreaterThanOrEqual(
            Date.parse(result.startedAt),
          );
        }
      }

      // A dry run of one account's provisioning: its steps, as the run would run them.
      const dry = await minting.api('post', '/runs').send({
        pipeline: 'provision',
        region: 'dev-pete-eu-west-1',
        account: 'dev-pete-eu-west-1-mc1',
        dryRun: true,
      });
      expect(dry.status).toBe(200);
      expect(dry.body.plan.steps).toEqual([
        {
          key: 'provision:dev-pete-eu-west-1-mc1:cluster',
          title: 'Provision dev-pete-eu-west-1-mc1: cluster',
          actions: [
            {
              action: 'provision',
              target: 'Provision dev-pete-eu-west-1-mc1: cluster',
              provisioner: 'command',
              reason: 'command applies cluster, planning as it applies',
            },
          ],
        },
      ]);

      sandbox.sandbox.calls.clear();
      const again = await minting
        .api('post', '/runs')
        .send({ pipeline: 'region', region: 'dev-pete-eu-west-1' });
      expect((await minting.finished(again.body.id)).status).toBe('succeeded');
      expect(
        sandbox.sandbox.calls
          .list()
          .filter(c => c.mutating && c.operation !== 'AssumeRole'),
      ).toEqual([]);
    } finally {
      await minting.stop();
      await sandbox.close();
    }
  });

  it('retries a failed provisioning step alone', async () => {
    const marker = join(mkdtempSync(join(tmpdir(), 'flaky-')), 'fixed');
    const sandbox = await startSandbox({ port: 0, seed: defaultSeed() });
    const minting = await startMintingBackend({
      knex: await databases.init(id),
      sandbox,
      configure: withDemoProvisioning({
        mc: [
          {
            name: 'flaky',
            provisioner: 'command',
            options: node(
              '-e',
              `process.exit(require('fs').existsSync(${JSON.stringify(
                marker,
              )}) ? 0 : 3)`,
            ),
          },
        ],
      }),
    });
    try {
      const failed = await minting.regionRun({
        environment: 'prod',
        region: 'us-east-1',
      });
      expect(failed.status).toBe('failed');
      expect(failed.error).toBe(
        `Provision prod-us-east-1-mc0: flaky: ${process.execPath} exited with 3`,
      );
      expect(
        failed.steps.find((s: any) => s.key === 'region:maestro').status,
      ).toBe('blocked');

      writeFileSync(marker, 'yes');
      const retried = await minting.api('post', `/runs/${failed.id}/retry`);
      expect(retried.status).toBe(200);
      const done = await minting.finished(failed.id);
      expect(done.status).toBe('succeeded');
      // Only the failed step ran again: the others kept their results and times.
      const finishedAt = (run: any, key: string) =>
        run.steps.find((s: any) => s.key === key).finishedAt;
      const rc = 'provision:prod-us-east-1-rc:cluster';
      const flaky = 'provision:prod-us-east-1-mc0:flaky';
      expect(finishedAt(done, rc)).toBe(finishedAt(failed, rc));
      expect(Date.parse(finishedAt(done, flaky))).toBeGreaterThan(
        Date.parse(finishedAt(failed, flaky)),
      );
      expect(existsSync(marker)).toBe(true);
    } finally {
      await minting.stop();
      await sandbox.close();
    }
  });

  it('stops a running command when its run is cancelled', async () => {
    const sandbox = await startSandbox({ port: 0, seed: defaultSeed() });
    const minting = await startMintingBackend({
      knex: await databases.init(id),
      sandbox,
      configure: withDemoProvisioning({
        mc: [
          {
            name: 'slow',
            provisioner: 'command',
            options: node('-e', 'setTimeout(() => {}, 60000)'),
          },
        ],
      }),
    });
    try {
      const created = await minting
        .api('post', '/regions')
        .send({ environment: 'stage', region: 'eu-west-2' });
      const runId = created.body.run.id;
      await waitFor('a slow step to run', async () => {
        const { body } = await minting.api('get', `/runs/${runId}`);
        return body.steps.some(
          (s: any) => s.key.endsWith(':slow') && s.status === 'running',
        );
      });
      await minting.api('post', `/runs/${runId}/cancel`);
      const cancelled = await minting.finished(runId);
      expect(cancelled.status).toBe('cancelled');
      expect(
        cancelled.steps
          .filter((s: any) => s.key.endsWith(':slow'))
          .map((s: any) => s.status),
      ).toEqual(['cancelled', 'cancelled']);
    } finally {
      await minting.stop();
      await sandbox.close();
    }
  });
});
