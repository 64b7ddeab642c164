import { mockCredentials } from '@backstage/backend-test-utils';
import {
  actionContext,
  APP_BASE_URL,
  checkpointStore,
  holdCalls,
  startMinting,
  testDatabases,
} from '../__testUtils__/minting';
import { createRegionCreateAction } from './createRegion';

const databases = testDatabases();

// The tests run regions on an account-minting backend and its sandbox: generous, so that a
// loaded machine is slow, never failing. Waits for runs have deadlines of their own.
jest.setTimeout(120_000);

describe('account-minting:region:create', () => {
  let minting: Awaited<ReturnType<typeof startMinting>>;

  beforeAll(async () => {
    minting = await startMinting(databases);
  });

  afterAll(() => minting.minting.stop());

  const api = (method: 'get' | 'post', path: string) =>
    minting.minting.api(method, path);
  const action = () => createRegionCreateAction(minting.options);

  it('on a dry run outputs the plan and creates nothing', async () => {
    const { ctx, lines, outputs } = actionContext({
      environment: 'dev',
      region: 'us-east-2',
      owner: 'plan',
      dryRun: true,
    });

    await action().handler(ctx);

    const { region, plan } = outputs();
    expect(region).toBe('dev-plan-us-east-2');
    expect(plan).toMatchObject({
      region: 'dev-plan-us-east-2',
      payer: 'staging-2',
    });
    // What minting changes; the stages after it are planned as pending, done once it is.
    const minted = plan.actions.filter((a: any) => a.action !== 'pending');
    expect(minted.map((a: any) => `${a.action} ${a.target}`)).toEqual([
      'create-ou Root/rosa-regional-platform',
      'create-ou Root/rosa-regional-platform/dev',
      'create-ou Root/rosa-regional-platform/dev/dev-plan-us-east-2',
      'create-account dev-plan-us-east-2-rc',
      'move-account dev-plan-us-east-2-rc',
      'create-account dev-plan-us-east-2-mc0',
      'move-account dev-plan-us-east-2-mc0',
      'create-account dev-plan-us-east-2-mc1',
      'move-account dev-plan-us-east-2-mc1',
    ]);
    // A new region: every action of its plan changes something.
    expect(plan.changes).toBe(plan.actions.length);
    expect(lines[0]).toBe(
      `info: Plan of region dev-plan-us-east-2 in payer staging-2: ${plan.changes} changes, nothing done`,
    );
    expect(outputs()).not.toHaveProperty('runId');
    // The template's output shows the plan as a table: one row per action, in order.
    const markdown: string[] = outputs().planMarkdown.split('\n');
    expect(markdown.slice(0, 4)).toEqual([
      `Plan of region **dev-plan-us-east-2** in payer **staging-2**: ${plan.changes} changes, nothing done.`,
      '',
      '| # | Action | Target | Reason |',
      '| --- | --- | --- | --- |',
    ]);
    expect(markdown.slice(4)).toEqual(
      plan.actions.map(
        (a: any, i: number) =>
          `| ${i + 1} | ${a.action} | ${a.target} | ${a.reason} |`,
      ),
    );
    // Each action of the plan is in the task log, with its reason.
    for (const planned of plan.actions) {
      expect(lines).toContain(
        `info: ${planned.action} ${planned.target}: ${planned.reason}`,
      );
    }
    expect((await api('get', '/regions')).body.items).toEqual([]);
    expect((await api('get', '/runs')).body.items).toEqual([]);
    expect(
      minting.minting.sandbox.sandbox.calls
        .list()
        .filter(c => c.mutating && c.service !== 'sts'),
    ).toEqual([]);
  });

  it('plans in a dry run of the template, whatever the dryRun input says', async () => {
    const { ctx, outputs } = actionContext(
      { environment: 'prod', region: 'eu-west-2' },
      { isDryRun: true },
    );

    await action().handler(ctx);

    expect(outputs().region).toBe('prod-eu-west-2');
    expect(outputs().plan.payer).toBe('control');
    expect((await api('get', '/regions')).body.items).toEqual([]);
  });

  it('requests the region as the user and outputs the region, its run and its link', async () => {
    const { ctx, lines, outputs } = actionContext(
      {
        environment: 'dev',
        region: 'us-east-2',
        owner: 'kirk',
        accountRoles: { 'management-cluster': 1 },
      },
      {
        getInitiatorCredentials: async () =>
          mockCredentials.user('user:default/kirk'),
      },
    );

    await action().handler(ctx);

    const { region, runId, runUrl } = outputs();
    expect(region).toBe('dev-kirk-us-east-2');
    expect(runId).toEqual(expect.any(String));
    expect(runUrl).toBe(`${APP_BASE_URL}/account-minting/runs/${runId}`);
    expect(lines).toContain(
      `info: Requested region dev-kirk-us-east-2; run ${runId} (queued) mints it: ${runUrl}`,
    );

    // Asked on behalf of the user: the backend records who asked.
    const run = await minting.minting.finished(runId);
    expect(run).toMatchObject({
      pipeline: 'region',
      region: 'dev-kirk-us-east-2',
      requestedBy: 'user:default/kirk',
      status: 'succeeded',
    });
    const stored = (await api('get', '/regions/dev-kirk-us-east-2')).body;
    expect(stored).toMatchObject({
      source: 'request',
      requestedBy: 'user:default/kirk',
    });
    expect(stored.accounts.map((a: any) => a.name)).toEqual([
      'dev-kirk-us-east-2-rc',
      'dev-kirk-us-east-2-mc',
    ]);
  });

  it('does not request again when a recovered task runs it again', async () => {
    const store = checkpointStore();
    const input = { environment: 'stage', region: 'eu-west-2' };

    const first = actionContext(input, { checkpoint: store.checkpoint as any });
    await action().handler(first.ctx);
    const callsToTheBackend = minting.discovery.getBaseUrl.mock.calls.length;

    // The task is recovered: the same step runs again, with the task's checkpoints.
    const second = actionContext(input, {
      checkpoint: store.checkpoint as any,
    });
    await action().handler(second.ctx);

    expect(second.outputs()).toEqual(first.outputs());
    expect(first.outputs().region).toBe('stage-eu-west-2');
    expect(minting.discovery.getBaseUrl).toHaveBeenCalledTimes(
      callsToTheBackend,
    );
    expect(second.lines).toContain(
      `info: Region stage-eu-west-2 was requested before the task was recovered; run ${
        first.outputs().runId
      } mints it: ${first.outputs().runUrl}`,
    );
    expect([...store.values.keys()]).toEqual([
      'account-minting-region-stage/eu-west-2/',
    ]);

    const regions = (await api('get', '/regions')).body.items.filter(
      (r: any) => r.name === 'stage-eu-west-2',
    );
    expect(regions).toHaveLength(1);
    const runs = (await api('get', '/runs?region=stage-eu-west-2')).body.items;
    expect(runs.map((r: any) => r.id)).toEqual([first.outputs().runId]);
    await minting.minting.finished(first.outputs().runId);
  });

  it('returns the same region and run when asked again without a checkpoint', async () => {
    // The run stays at its account creations until both requests are answered: it is
    // under way when the second one comes, however fast the machine.
    const held = holdCalls(minting.minting.sandbox.sandbox, 'CreateAccount');
    try {
      const input = { environment: 'prod', region: 'us-east-1' };
      const first = actionContext(input);
      await action().handler(first.ctx);
      const second = actionContext(input);
      await action().handler(second.ctx);

      expect(second.outputs().runId).toBe(first.outputs().runId);
      held.release();
      expect(
        (await minting.minting.finished(first.outputs().runId)).status,
      ).toBe('succeeded');
    } finally {
      held.release();
    }
  });

  it('fails with the problem of each field of an invalid request', async () => {
    const { ctx } = actionContext({
      environment: 'dev',
      region: 'ap-south-1',
      accountRoles: { workload: 2 },
    });

    await expect(action().handler(ctx)).rejects.toThrow(
      'The account-minting backend refused the region request: ' +
        'region: region ap-south-1 is not allowed in dev; allowed: us-east-2, eu-west-1; ' +
        'owner: owner is required in dev, whose region names carry their owner; ' +
        'accountRoles.workload: unknown account role workload; one of regional-cluster, management-cluster',
    );
    expect(ctx.output).not.toHaveBeenCalled();
  });

  it('fails a dry run of an invalid request the same way', async () => {
    const { ctx } = actionContext({
      environment: 'qa',
      region: 'us-east-1',
      dryRun: true,
    });

    await expect(action().handler(ctx)).rejects.toThrow(
      'The account-minting backend refused the region request: environment: unknown environment "qa"; one of prod, stage, dev',
    );
  });
});
