import { mockCredentials } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { JsonObject } from '@backstage/types';
import { defaultSeed } from '@regional-minting/aws-sandbox';
import { startMintingBackend } from '../testUtils/mintingBackend';
import { waitFor } from '../testUtils/waitFor';
import { testDatabases } from '../testUtils/databases';

const databases = testDatabases();

// Each test mints against a backend and a sandbox of its own; waits have deadlines of their own.
jest.setTimeout(120_000);

const APPROVERS = 'group:default/platform-approvers';

function user(name: string, memberOf: string[] = []): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'User',
    metadata: { name, namespace: 'default' },
    spec: { memberOf },
  };
}

/** Prod needs two approvers of the group; stage one, and its changes expire at once. */
function withApprovals(minting: JsonObject) {
  const environments = minting.environments as JsonObject[];
  environments[0].approval = { approvers: 2, group: APPROVERS };
  environments[1].approval = {
    approvers: 1,
    group: APPROVERS,
    expiresAfter: { minutes: 0.001 },
    reasonRequired: false,
  };
}

/** The catalog: bob and dave approve (by short and full group refs), alice and carol do not. */
const catalog = [
  catalogServiceMock.factory({
    entities: [
      user('alice'),
      user('bob', ['platform-approvers']),
      user('dave', [APPROVERS]),
      user('carol', ['group:default/someone-else']),
    ],
  }),
];

async function start(id: Parameters<typeof databases.init>[0]) {
  return startMintingBackend({
    knex: await databases.init(id),
    configure: withApprovals,
    features: catalog,
  });
}

const as = (name: string) =>
  mockCredentials.user.header(`user:default/${name}`);

/** The backend's API as one user or another of the catalog. */
const apiOf =
  (minting: Awaited<ReturnType<typeof startMintingBackend>>) =>
  (method: 'get' | 'post', path: string, who: string) =>
    minting.api(method, path).set('Authorization', as(who));

describe.each(databases.eachSupportedId())('approvals on %s', id => {
  it('holds a prod region until two approvers other than its requester approve the same plan', async () => {
    const minting = await start(id);
    const api = apiOf(minting);
    try {
      const prod = { environment: 'prod', region: 'us-east-1' };
      const unexplained = await api('post', '/regions', 'alice').send(prod);
      expect(unexplained.status).toBe(400);
      expect(unexplained.body.error.message).toMatch(/^reason: /);

      const requested = await api('post', '/regions', 'alice').send({
        ...prod,
        reason: 'the new region of the platform',
      });
      expect(requested.status).toBe(202);
      const { change } = requested.body;
      expect(change).toMatchObject({
        kind: 'region-request',
        status: 'pending',
        environment: 'prod',
        region: 'prod-us-east-1',
        requestedBy: 'user:default/alice',
        reason: 'the new region of the platform',
        approvals: 0,
        approversNeeded: 2,
        approverGroup: APPROVERS,
      });
      expect(change.plan.changes).toBeGreaterThan(0);
      expect(requested.body.run).toBeUndefined();
      // Nothing is recorded or called that changes AWS before the approvals.
      expect((await api('get', '/regions', 'alice')).body.items).toEqual([]);
      expect(
        minting.sandbox.sandbox.calls
          .list()
          .filter(c => c.mutating && c.service !== 'sts'),
      ).toEqual([]);

      // Asking again gives the same change.
      const again = await api('post', '/regions', 'alice').send({
        ...prod,
        reason: 'the new region of the platform',
      });
      expect(again.body.change.id).toBe(change.id);

      const own = await api('post', `/changes/${change.id}/approve`, 'alice');
      expect(own.status).toBe(403);
      expect(own.body.error.message).toMatch(/you asked for change/);
      const outsider = await api(
        'post',
        `/changes/${change.id}/approve`,
        'carol',
      );
      expect(outsider.status).toBe(403);
      expect(outsider.body.error.message).toContain(APPROVERS);

      const first = await api(
        'post',
        `/changes/${change.id}/approve`,
        'bob',
      ).send({ comment: 'looks right' });
      expect(first.status).toBe(200);
      expect(first.body).toMatchObject({ status: 'pending', approvals: 1 });
      // A second click of the same approver counts once.
      const twice = await api('post', `/changes/${change.id}/approve`, 'bob');
      expect(twice.body.approvals).toBe(1);

      const second = await api('post', `/changes/${change.id}/approve`, 'dave');
      expect(second.status).toBe(200);
      expect(second.body).toMatchObject({ status: 'started', approvals: 2 });
      expect(second.body.decisions.map((d: any) => [d.by, d.decision])).toEqual(
        [
          ['user:default/bob', 'approve'],
          ['user:default/dave', 'approve'],
        ],
      );
      const run = await minting.finished(second.body.runId);
      expect(run).toMatchObject({
        status: 'succeeded',
        pipeline: 'region',
        region: 'prod-us-east-1',
        requestedBy: 'user:default/alice',
      });
      const late = await api('post', `/changes/${change.id}/approve`, 'bob');
      expect(late.status).toBe(409);

      // A dev region needs no approval: its run starts at once.
      const dev = await api('post', '/regions', 'alice').send({
        environment: 'dev',
        region: 'us-east-2',
        owner: 'kirk',
      });
      expect(dev.status).toBe(202);
      expect(dev.body.run.id).toBeDefined();
    } finally {
      await minting.stop();
    }
  });

  it('starts one run when two approvals arrive at once, refuses to retry a run that succeeded, and holds its decommission for approval', async () => {
    const minting = await start(id);
    const api = apiOf(minting);
    try {
      const requested = await api('post', '/regions', 'alice').send({
        environment: 'prod',
        region: 'us-east-1',
        reason: 'launch',
      });
      const changeId = requested.body.change.id;
      const [bob, dave] = await Promise.all([
        api('post', `/changes/${changeId}/approve`, 'bob'),
        api('post', `/changes/${changeId}/approve`, 'dave'),
      ]);
      expect([bob.status, dave.status]).toEqual([200, 200]);
      const change = await waitFor('the change to start', async () => {
        const seen = await api('get', `/changes/${changeId}`, 'alice');
        return seen.body.runId ? seen.body : undefined;
      });
      expect(change.status).toBe('started');
      const run = await minting.finished(change.runId);
      expect(run.status).toBe('succeeded');
      const runs = await api('get', '/runs?region=prod-us-east-1', 'alice');
      expect(runs.body.items.map((r: any) => r.id)).toEqual([run.id]);

      // A succeeded run has nothing to retry: refused before any change is recorded.
      const retried = await api('post', `/runs/${run.id}/retry`, 'alice').send({
        reason: 'again',
      });
      expect(retried.status).toBe(409);

      // Decommissioning prod waits for its approvers too, with the plan they approve.
      const decommission = await api(
        'post',
        '/regions/prod-us-east-1/decommission',
        'alice',
      ).send({ reason: 'the region is retired' });
      expect(decommission.status).toBe(202);
      const held = decommission.body.change;
      expect(held).toMatchObject({
        kind: 'decommission',
        pipeline: 'decommission',
        region: 'prod-us-east-1',
        status: 'pending',
      });
      expect(
        held.plan.actions.filter((a: any) => a.action === 'close-account'),
      ).toHaveLength(3);
      expect(held.plan.closeQuota).toMatchObject({ needed: 3 });
      expect(
        (await api('get', '/regions/prod-us-east-1', 'alice')).body.status,
      ).toBe('active');
      await api('post', `/changes/${held.id}/approve`, 'bob');
      const approved = await api('post', `/changes/${held.id}/approve`, 'dave');
      expect(approved.body.status).toBe('started');
      const closing = await minting.finished(approved.body.runId);
      expect(closing.status).toBe('succeeded');
      const retired = await api('get', '/regions/prod-us-east-1', 'alice');
      expect(retired.body).toMatchObject({
        status: 'decommissioned',
        decommissionedBy: 'user:default/alice',
      });
    } finally {
      await minting.stop();
    }
  });

  it('holds the retry of a failed prod run for approval, and the approved retry finishes the run', async () => {
    const seed = defaultSeed();
    // control (prod's payer) may hold two accounts, which its minting role cannot read from
    // Service Quotas, while the configuration believes in more: the creations fail in AWS.
    const control = seed.organizations.find(
      o => o.managementAccount.id === '200000000001',
    )!;
    control.accountQuota = 2;
    control.managementAccount.roles!.find(
      r => r.name === 'AccountMinter',
    )!.deniedServices = ['servicequotas'];
    const minting = await startMintingBackend({
      knex: await databases.init(id),
      seed,
      configure: accountMinting => {
        withApprovals(accountMinting);
        (accountMinting.payers as JsonObject[])[0].accountQuota = 100;
      },
      features: catalog,
    });
    const api = apiOf(minting);
    const approveByTwo = async (changeId: string) => {
      await api('post', `/changes/${changeId}/approve`, 'bob');
      return (await api('post', `/changes/${changeId}/approve`, 'dave')).body;
    };
    try {
      const requested = await api('post', '/regions', 'alice').send({
        environment: 'prod',
        region: 'us-east-1',
        reason: 'launch',
      });
      const started = await approveByTwo(requested.body.change.id);
      const failed = await minting.finished(started.runId);
      expect(failed.status).toBe('failed');

      // AWS raised the quota; the retry waits for approval like any prod change.
      [...minting.sandbox.sandbox.state.organizations.values()].find(
        o => o.managementAccountId === '200000000001',
      )!.accountQuota = 50;
      const retry = await api('post', `/runs/${failed.id}/retry`, 'alice').send(
        { reason: 'the quota was raised' },
      );
      expect(retry.status).toBe(202);
      expect(retry.body.change).toMatchObject({
        kind: 'retry',
        status: 'pending',
        region: 'prod-us-east-1',
      });
      expect(
        (await api('get', `/runs/${failed.id}`, 'alice')).body.status,
      ).toBe('failed');
      const approved = await approveByTwo(retry.body.change.id);
      expect(approved).toMatchObject({ status: 'started', runId: failed.id });
      expect((await minting.finished(failed.id)).status).toBe('succeeded');
    } finally {
      await minting.stop();
    }
  });

  it('voids approvals when AWS changes between request and start, and ends a change at one rejection or at its time', async () => {
    const minting = await start(id);
    const api = apiOf(minting);
    try {
      // A prod region, approved and minted.
      const requested = await api('post', '/regions', 'alice').send({
        environment: 'prod',
        region: 'eu-west-2',
        reason: 'capacity',
      });
      const regionChange = requested.body.change.id;
      await api('post', `/changes/${regionChange}/approve`, 'bob');
      const started = await api(
        'post',
        `/changes/${regionChange}/approve`,
        'dave',
      );
      await minting.finished(started.body.runId);

      // A mint run of it plans nothing to change...
      const mint = await api('post', '/runs', 'alice').send({
        pipeline: 'mint',
        region: 'prod-eu-west-2',
        reason: 'routine',
      });
      expect(mint.status).toBe(202);
      expect(mint.body.change.plan.changes).toBe(0);
      const changeId = mint.body.change.id;
      await api('post', `/changes/${changeId}/approve`, 'bob');

      // ...until someone removes a managed tag by hand before the second approval.
      const account = [...minting.sandbox.sandbox.state.accounts.values()].find(
        a => a.name === 'prod-eu-west-2-rc',
      )!;
      delete account.tags['cost-center'];
      const voided = await api('post', `/changes/${changeId}/approve`, 'dave');
      expect(voided.status).toBe(200);
      expect(voided.body).toMatchObject({ status: 'pending', approvals: 0 });
      expect(voided.body.plan.actions).toContainEqual(
        expect.objectContaining({
          action: 'tag-account',
          target: 'prod-eu-west-2-rc',
          tags: { 'cost-center': 'platform' },
        }),
      );
      expect(voided.body.decisions.map((d: any) => d.void)).toEqual([
        true,
        true,
      ]);
      expect(voided.body.runId).toBeUndefined();

      // One rejection ends it.
      const rejected = await api(
        'post',
        `/changes/${changeId}/reject`,
        'bob',
      ).send({ comment: 'repair it with a repair, not a mint' });
      expect(rejected.body).toMatchObject({ status: 'rejected' });
      expect(
        (await api('post', `/changes/${changeId}/approve`, 'dave')).status,
      ).toBe(409);

      // A stage change not approved in its time expires.
      const stage = await api('post', '/regions', 'alice').send({
        environment: 'stage',
        region: 'us-east-1',
      });
      expect(stage.body.change.status).toBe('pending');
      await waitFor('the stage change to expire', async () => {
        const seen = await api(
          'get',
          `/changes/${stage.body.change.id}`,
          'alice',
        );
        return seen.body.status === 'expired' ? seen.body : undefined;
      });
      const listed = await api('get', '/changes?status=rejected', 'alice');
      expect(listed.body.items.map((c: any) => c.id)).toEqual([changeId]);
    } finally {
      await minting.stop();
    }
  });
});
