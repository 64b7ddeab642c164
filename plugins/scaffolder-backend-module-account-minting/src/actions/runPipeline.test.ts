import { mockCredentials } from '@backstage/backend-test-utils';
import {
  actionContext,
  APP_BASE_URL,
  checkpointStore,
  startMinting,
  testDatabases,
} from '../__testUtils__/minting';
import { createPipelineRunAction } from './runPipeline';

const databases = testDatabases();

// The tests run regions on an account-minting backend and its sandbox: generous, so that a
// loaded machine is slow, never failing. Waits for runs have deadlines of their own.
jest.setTimeout(120_000);

describe('account-minting:pipeline:run', () => {
  let minting: Awaited<ReturnType<typeof startMinting>>;
  const api = (method: 'get' | 'post', path: string) =>
    minting.minting.api(method, path);

  beforeAll(async () => {
    minting = await startMinting(databases);
    // A region minted to the end, to run pipelines of.
    const run = await minting.minting.regionRun({
      environment: 'dev',
      region: 'us-east-2',
      owner: 'kirk',
    });
    if (run.status !== 'succeeded') throw new Error('the region run failed');
  });

  afterAll(async () => {
    // Cancel what the tests left running (the slow provisioning), to end its process.
    const { body } = await api('get', '/runs?status=queued,running');
    for (const run of body.items) {
      await api('post', `/runs/${run.id}/cancel`);
      await minting.minting.finished(run.id);
    }
    await minting.minting.stop();
  });

  const action = () => createPipelineRunAction(minting.options);

  it('starts a run of the pipeline as the user and outputs it and its link', async () => {
    const { ctx, lines, outputs } = actionContext(
      { pipeline: 'bootstrap' as const, region: 'dev-kirk-us-east-2' },
      {
        getInitiatorCredentials: async () =>
          mockCredentials.user('user:default/kirk'),
      },
    );

    await action().handler(ctx);

    const { runId, runUrl } = outputs();
    expect(runUrl).toBe(`${APP_BASE_URL}/account-minting/runs/${runId}`);
    expect(lines).toContain(
      `info: Run ${runId} (queued) runs the bootstrap of dev-kirk-us-east-2: ${runUrl}`,
    );
    const run = await minting.minting.finished(runId);
    expect(run).toMatchObject({
      pipeline: 'bootstrap',
      region: 'dev-kirk-us-east-2',
      requestedBy: 'user:default/kirk',
      status: 'succeeded',
    });
    expect(run.account).toBeUndefined();
  });

  it('runs a pipeline for one account of the region', async () => {
    const { ctx, outputs } = actionContext({
      pipeline: 'mint' as const,
      region: 'dev-kirk-us-east-2',
      account: 'dev-kirk-us-east-2-mc1',
    });

    await action().handler(ctx);

    const run = await minting.minting.finished(outputs().runId);
    expect(run).toMatchObject({
      pipeline: 'mint',
      account: 'dev-kirk-us-east-2-mc1',
      status: 'succeeded',
    });
    expect(run.steps.map((s: any) => s.key)).toEqual([
      'region-ou',
      'account:dev-kirk-us-east-2-mc1',
    ]);
  });

  it('does not start another run when a recovered task runs it again', async () => {
    const store = checkpointStore();
    const input = {
      pipeline: 'provision' as const,
      region: 'dev-kirk-us-east-2',
    };

    const first = actionContext(input, { checkpoint: store.checkpoint as any });
    await action().handler(first.ctx);
    await minting.minting.finished(first.outputs().runId);
    const callsToTheBackend = minting.discovery.getBaseUrl.mock.calls.length;

    // The task is recovered after the run finished: the step runs again.
    const second = actionContext(input, {
      checkpoint: store.checkpoint as any,
    });
    await action().handler(second.ctx);

    expect(second.outputs()).toEqual(first.outputs());
    expect(minting.discovery.getBaseUrl).toHaveBeenCalledTimes(
      callsToTheBackend,
    );
    expect([...store.values.keys()]).toEqual([
      'account-minting-pipeline-provision/dev-kirk-us-east-2/',
    ]);
    expect(second.lines).toEqual([
      `info: Run ${
        first.outputs().runId
      } was started for the provision of dev-kirk-us-east-2 before the task was recovered: ${
        first.outputs().runUrl
      }`,
    ]);
    const runs = (
      await api('get', '/runs?region=dev-kirk-us-east-2&pipeline=provision')
    ).body.items;
    expect(runs.map((r: any) => r.id)).toEqual([first.outputs().runId]);
  });

  it('gives the run already doing the same when asked again while it runs', async () => {
    // A region whose provisioning hangs, so that its region run stays running.
    const requested = await api('post', '/regions').send({
      environment: 'dev',
      region: 'eu-west-1',
      owner: 'slow',
    });
    const input = { pipeline: 'region' as const, region: 'dev-slow-eu-west-1' };

    const first = actionContext(input);
    await action().handler(first.ctx);
    const second = actionContext(input);
    await action().handler(second.ctx);

    expect(first.outputs().runId).toBe(requested.body.run.id);
    expect(second.outputs().runId).toBe(first.outputs().runId);
    const run = (await api('get', `/runs/${first.outputs().runId}`)).body;
    expect(['queued', 'running']).toContain(run.status);
  });

  it('fails for a region that does not exist', async () => {
    const { ctx } = actionContext({
      pipeline: 'mint' as const,
      region: 'dev-nobody-us-east-2',
    });
    await expect(action().handler(ctx)).rejects.toThrow(
      /^The account-minting backend answered 404: .*dev-nobody-us-east-2/,
    );
    expect(ctx.output).not.toHaveBeenCalled();
  });

  it('fails for an account that the region does not have', async () => {
    const { ctx } = actionContext({
      pipeline: 'bootstrap' as const,
      region: 'dev-kirk-us-east-2',
      account: 'dev-kirk-us-east-2-mc7',
    });
    await expect(action().handler(ctx)).rejects.toThrow(
      'The account-minting backend answered 400: account: dev-kirk-us-east-2-mc7 is not an account of dev-kirk-us-east-2; its accounts are dev-kirk-us-east-2-rc, dev-kirk-us-east-2-mc0, dev-kirk-us-east-2-mc1',
    );
  });
});
