import { JsonObject } from '@backstage/types';
import { testDatabases } from '../testUtils/databases';
import { mockServices } from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  defaultSeed,
  ManualClock,
  PROFILES,
  startSandbox,
} from '@regional-minting/aws-sandbox';
import { startMintingBackend } from '../testUtils/mintingBackend';
import { waitFor } from '../testUtils/waitFor';

const databases = testDatabases();

// Each test mints regions against a backend and a sandbox of its own: generous, so that a
// loaded machine is slow, never failing. Waits for runs have deadlines of their own.
jest.setTimeout(120_000);

const devRegion = { environment: 'dev', region: 'us-east-2', owner: 'kirk' };

describe.each(databases.eachSupportedId())('minting a region on %s', id => {
  it('plans, mints from nothing, and then has nothing to change', async () => {
    const minting = await startMintingBackend({
      knex: await databases.init(id),
    });
    try {
      const dry = await minting
        .api('post', '/regions')
        .send({ ...devRegion, dryRun: true });
      expect(dry.status).toBe(200);
      expect(
        dry.body.plan.actions.map((a: any) => `${a.action} ${a.target}`),
      ).toEqual([
        'create-ou Root/rosa-regional-platform',
        'create-ou Root/rosa-regional-platform/dev',
        'create-ou Root/rosa-regional-platform/dev/dev-kirk-us-east-2',
        'create-account dev-kirk-us-east-2-rc',
        'move-account dev-kirk-us-east-2-rc',
        'create-account dev-kirk-us-east-2-mc0',
        'move-account dev-kirk-us-east-2-mc0',
        'create-account dev-kirk-us-east-2-mc1',
        'move-account dev-kirk-us-east-2-mc1',
        // Bootstrapping waits for the accounts the run creates first.
        'pending Bootstrap dev-kirk-us-east-2-rc',
        'pending Bootstrap dev-kirk-us-east-2-mc0',
        'pending Bootstrap dev-kirk-us-east-2-mc1',
      ]);
      expect(dry.body.plan.changes).toBe(12);
      expect(
        minting.sandbox.sandbox.calls
          .list()
          .filter(c => c.mutating && c.service !== 'sts'),
      ).toEqual([]);
      expect(
        minting.sandbox.sandbox.calls
          .list()
          .filter(c => c.mutating && c.service === 'organizations'),
      ).toEqual([]);

      const created = await minting.api('post', '/regions').send(devRegion);
      expect(created.status).toBe(202);
      expect(created.body.region).toMatchObject({
        name: 'dev-kirk-us-east-2',
        payer: 'staging-2',
        source: 'request',
      });
      const run = await minting.finished(created.body.run.id);
      expect(run).toMatchObject({
        status: 'succeeded',
        pipeline: 'region',
        region: 'dev-kirk-us-east-2',
      });
      expect(run.steps.map((s: any) => [s.key, s.status])).toEqual([
        ['region-ou', 'succeeded'],
        ['account:dev-kirk-us-east-2-rc', 'succeeded'],
        ['account:dev-kirk-us-east-2-mc0', 'succeeded'],
        ['account:dev-kirk-us-east-2-mc1', 'succeeded'],
        ['bootstrap:dev-kirk-us-east-2-rc', 'succeeded'],
        ['bootstrap:dev-kirk-us-east-2-mc0', 'succeeded'],
        ['bootstrap:dev-kirk-us-east-2-mc1', 'succeeded'],
      ]);

      // The sandbox has the region OU under the platform and dev OUs, with its three accounts, tagged.
      const state = minting.sandbox.sandbox.state;
      const ou = [...state.containers.values()].find(
        c => c.name === 'dev-kirk-us-east-2',
      )!;
      const dev = state.containers.get(ou.parentId!)!;
      expect([dev.name, state.containers.get(dev.parentId!)!.name]).toEqual([
        'dev',
        'rosa-regional-platform',
      ]);
      const accounts = [...state.accounts.values()].filter(
        a => a.parentId === ou.id,
      );
      expect(accounts.map(a => a.name).sort()).toEqual([
        'dev-kirk-us-east-2-mc0',
        'dev-kirk-us-east-2-mc1',
        'dev-kirk-us-east-2-rc',
      ]);
      expect(accounts.find(a => a.name.endsWith('-mc1'))!.tags).toEqual({
        'managed-by': 'account-minting',
        'cost-center': 'platform',
        environment: 'dev',
        region: 'us-east-2',
        'region-ou': 'dev-kirk-us-east-2',
        role: 'management-cluster',
        index: '1',
      });
      expect(accounts.find(a => a.name.endsWith('-rc'))!.email).toBe(
        'aws+dev-kirk-us-east-2-rc@example.com',
      );

      // Asking again gives the same region and, the run being over, a fresh run with nothing to do.
      minting.sandbox.sandbox.calls.clear();
      const again = await minting.api('post', '/regions').send(devRegion);
      expect(again.status).toBe(202);
      expect((await minting.finished(again.body.run.id)).status).toBe(
        'succeeded',
      );
      const calls = minting.sandbox.sandbox.calls
        .list()
        .filter(c => c.service === 'organizations');
      expect(calls.length).toBeGreaterThan(0);
      expect(calls.filter(c => c.mutating)).toEqual([]);

      // A dry run of the whole region is its run's steps, each planning nothing to change.
      const replan = await minting.api('post', '/runs').send({
        pipeline: 'region',
        region: 'dev-kirk-us-east-2',
        dryRun: true,
      });
      expect(replan.status).toBe(200);
      expect(replan.body.plan.changes).toBe(0);
      expect(replan.body.plan.steps.map((s: any) => s.key)).toEqual(
        run.steps.map((s: any) => s.key),
      );
      expect(
        minting.sandbox.sandbox.calls
          .list()
          .filter(c => c.mutating && c.service !== 'sts'),
      ).toEqual([]);
      expect(
        (await minting.api('get', '/regions')).body.items.map(
          (r: any) => r.name,
        ),
      ).toEqual(['dev-kirk-us-east-2']);
    } finally {
      await minting.stop();
    }
  });

  it('fails a creation AWS refuses with the reason and the email, once', async () => {
    const seed = defaultSeed();
    // Someone else already uses the email of the region's RC account.
    seed.accounts.push({
      id: '555555555555',
      name: 'squatter',
      email: 'aws+stage-eu-west-2-rc@example.com',
      tags: {},
      users: [],
      roles: [],
      buckets: [],
    });
    const minting = await startMintingBackend({
      knex: await databases.init(id),
      seed,
    });
    try {
      const run = await minting.regionRun({
        environment: 'stage',
        region: 'eu-west-2',
      });
      expect(run.status).toBe('failed');
      expect(run.error).toBe(
        'Account stage-eu-west-2-rc: CreateAccount of stage-eu-west-2-rc <aws+stage-eu-west-2-rc@example.com> FAILED: EMAIL_ALREADY_EXISTS: another AWS account already uses this email; change accountEmail or free the address',
      );
      // The other accounts of the region are still made and bootstrapped; the failed one's bootstrap never runs.
      expect(
        run.steps
          .filter((s: any) => s.status === 'succeeded')
          .map((s: any) => s.key),
      ).toEqual([
        'region-ou',
        'account:stage-eu-west-2-mc0',
        'account:stage-eu-west-2-mc1',
        'bootstrap:stage-eu-west-2-mc0',
        'bootstrap:stage-eu-west-2-mc1',
      ]);
      expect(
        run.steps.find((s: any) => s.key === 'bootstrap:stage-eu-west-2-rc')
          .status,
      ).toBe('blocked');
      const creations = minting.sandbox.sandbox.calls
        .list()
        .filter(c => c.operation === 'CreateAccount');
      expect(creations).toHaveLength(3);
    } finally {
      await minting.stop();
    }
  });

  it('fails creations past the organization quota with the reason and what to do', async () => {
    const seed = defaultSeed();
    // staging-1 may hold two accounts: its management account and one more.
    const staging1 = seed.organizations.find(o => o.name === 'staging-1')!;
    staging1.accountQuota = 2;
    // Its minting role may not read Service Quotas, and the configuration believes in a
    // larger quota: the request passes the check, and AWS's own limit stops the creations.
    staging1.managementAccount.roles!.find(
      r => r.name === 'AccountMinter',
    )!.deniedServices = ['servicequotas'];
    const minting = await startMintingBackend({
      knex: await databases.init(id),
      seed,
      configure: accountMinting => {
        (accountMinting.payers as JsonObject[])[1].accountQuota = 100;
      },
    });
    try {
      const run = await minting.regionRun({
        environment: 'stage',
        region: 'us-east-1',
      });
      expect(run.status).toBe('failed');
      const failures = run.steps
        .filter((s: any) => s.status === 'failed')
        .map((s: any) => s.error);
      expect(failures).toHaveLength(2);
      expect(failures[0]).toMatch(
        /^CreateAccount of stage-us-east-1-(rc|mc0|mc1) <aws\+stage-us-east-1-(rc|mc0|mc1)@example\.com> FAILED: ACCOUNT_LIMIT_EXCEEDED: the organization reached its account quota/,
      );
    } finally {
      await minting.stop();
    }
  });

  it('cancels a run mid-creation, and a retry finishes it without creating any account twice', async () => {
    // The creations finish only when the test moves the sandbox's clock: the run is
    // mid-creation when it is cancelled, however long the cancellation takes.
    const clock = new ManualClock();
    const sandbox = await startSandbox({
      port: 0,
      seed: defaultSeed(),
      clock,
      profile: { ...PROFILES.instant, accountCreationMs: 1000 },
    });
    const minting = await startMintingBackend({
      knex: await databases.init(id),
      sandbox,
    });
    try {
      const created = await minting
        .api('post', '/regions')
        .send({ environment: 'prod', region: 'eu-west-2' });
      const runId = created.body.run.id;
      const creations = () =>
        sandbox.sandbox.calls
          .list()
          .filter(c => c.operation === 'CreateAccount');
      await waitFor(
        'the three creations to be asked for',
        () => creations().length >= 3,
      );
      const cancelled = await minting.api('post', `/runs/${runId}/cancel`);
      expect(cancelled.status).toBe(200);
      const stopped = await minting.finished(runId);
      expect(stopped.status).toBe('cancelled');
      expect(
        stopped.steps.filter((s: any) => s.status === 'cancelled'),
      ).toHaveLength(6);

      // The creations finish in AWS while the run is stopped.
      clock.advance(1000);
      const retried = await minting.api('post', `/runs/${runId}/retry`);
      expect(retried.body.status).toBe('queued');
      const done = await minting.finished(runId);
      expect(done.status).toBe('succeeded');
      expect(creations()).toHaveLength(3);
      expect((await minting.api('post', `/runs/${runId}/cancel`)).status).toBe(
        409,
      );
    } finally {
      await minting.stop();
      await sandbox.close();
    }
  });

  it('answers every bad request 400 with a message per field, and changes nothing', async () => {
    const minting = await startMintingBackend({
      knex: await databases.init(id),
    });
    try {
      const cases: [object, Record<string, string>][] = [
        [
          { environment: 'qa', region: 'us-east-1' },
          { environment: 'unknown environment "qa"; one of prod, stage, dev' },
        ],
        [
          { environment: 'prod', region: 'ap-south-1' },
          {
            region:
              'region ap-south-1 is not allowed in prod; allowed: us-east-1, eu-west-2',
          },
        ],
        [
          { environment: 'dev', region: 'us-east-2' },
          {
            owner:
              'owner is required in dev, whose region names carry their owner',
          },
        ],
        [
          { environment: 'dev', region: 'us-east-2', owner: 'Kirk' },
          {
            owner:
              'owner must be lower-case letters, digits and single hyphens (got "Kirk")',
          },
        ],
        [
          {
            environment: 'prod',
            region: 'us-east-1',
            accountRoles: { 'management-cluster': 11 },
          },
          {
            'accountRoles.management-cluster':
              'the count of management-cluster must be a whole number from 0 to 10',
          },
        ],
        [
          {
            environment: 'dev',
            region: 'us-east-2',
            owner: 'a-very-long-owner-name-that-goes-on',
          },
          {
            'accountRoles.regional-cluster': expect.stringContaining(
              '-rc is longer than the 50 characters AWS allows',
            ),
            'accountRoles.management-cluster': expect.stringContaining(
              '-mc1 is longer than the 50 characters AWS allows',
            ),
          },
        ],
      ];
      for (const [body, fields] of cases) {
        const response = await minting.api('post', '/regions').send(body);
        expect(response.status).toBe(400);
        expect(response.body.fields).toEqual(fields);
      }
      expect(
        (
          await minting
            .api('post', '/runs')
            .send({ pipeline: 'deploy', region: 'x' })
        ).body.error.message,
      ).toBe(
        'request/body/pipeline must be equal to one of the allowed values: mint, bootstrap, provision, region',
      );
      const emptyAccount = await minting
        .api('post', '/runs')
        .send({ pipeline: 'mint', region: 'x', account: '' });
      expect(emptyAccount.status).toBe(400);
      expect(emptyAccount.body.error.message).toBe(
        'account: must be an account name',
      );
      const twoSteps = await minting.api('get', '/runs/r/logs?step=a&step=b');
      expect(twoSteps.status).toBe(400);
      expect(twoSteps.body.error.message).toBe(
        'request/query/step must be string',
      );
      expect((await minting.api('get', '/regions')).body.items).toEqual([]);
      expect((await minting.api('get', '/runs')).body.items).toEqual([]);
      expect(minting.sandbox.sandbox.calls.list()).toEqual([]);
    } finally {
      await minting.stop();
    }
  });

  it('refuses users without permission: 403, and nothing happens', async () => {
    const minting = await startMintingBackend({
      knex: await databases.init(id),
      features: [
        mockServices.permissions.factory({ result: AuthorizeResult.DENY }),
      ],
    });
    try {
      const response = await minting.api('post', '/regions').send(devRegion);
      expect(response.status).toBe(403);
      expect((await minting.api('get', '/runs')).status).toBe(403);
      expect(minting.sandbox.sandbox.calls.list()).toEqual([]);
    } finally {
      await minting.stop();
    }
  });
});
