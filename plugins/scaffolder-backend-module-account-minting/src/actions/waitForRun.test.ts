import { AddressInfo, createServer } from 'node:net';
import {
  actionContext,
  APP_BASE_URL,
  checkpointStore,
  startMinting,
  testDatabases,
} from '../__testUtils__/minting';
import { createRunWaitAction } from './waitForRun';

const databases = testDatabases();

// The tests follow runs on an account-minting backend and its sandbox: generous, so that a
// loaded machine is slow, never failing.
jest.setTimeout(120_000);

// The tests poll every 10ms: the action accepts it when made with a smaller minimum.
const POLL = 0.01;

describe('account-minting:run:wait', () => {
  let minting: Awaited<ReturnType<typeof startMinting>>;
  const api = (method: 'get' | 'post', path: string) =>
    minting.minting.api(method, path);

  beforeAll(async () => {
    minting = await startMinting(databases);
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

  const action = () =>
    createRunWaitAction({ ...minting.options, minPollSeconds: POLL });

  /** Requests a dev region through the API and returns its run's id, before the run is done. */
  async function requestRegion(owner: string, region = 'us-east-2') {
    const { status, body } = await api('post', '/regions').send({
      environment: 'dev',
      region,
      owner,
    });
    expect(status).toBe(202);
    return body.run.id as string;
  }

  it('follows a run to its success, each step change and log line once', async () => {
    const runId = await requestRegion('kirk');
    const { ctx, lines, outputs } = actionContext({
      runId,
      pollSeconds: POLL,
    });

    await action().handler(ctx);

    expect(outputs()).toEqual({
      status: 'succeeded',
      runId,
      runUrl: `${APP_BASE_URL}/account-minting/runs/${runId}`,
      durationSeconds: expect.any(Number),
    });
    expect(lines[0]).toBe(
      `info: Waiting for account-minting run ${runId}: ${APP_BASE_URL}/account-minting/runs/${runId}`,
    );
    expect(lines[lines.length - 1]).toMatch(
      new RegExp(`^info: Run ${runId} succeeded in \\d+s$`),
    );

    // Each step ended once, with how long it took.
    const run = (await api('get', `/runs/${runId}`)).body;
    expect(run.steps).toHaveLength(8);
    for (const step of run.steps) {
      expect(
        lines.filter(line => line.startsWith(`info: ${step.key} succeeded`)),
      ).toEqual([expect.stringMatching(/ succeeded in \d+s$/)]);
    }
    expect(
      lines.filter(l => l.startsWith('info: account:dev-kirk-us-east-2-rc ')),
    ).toEqual([
      // Seen running, unless it was quicker than a poll.
      ...lines.filter(l => l === 'info: account:dev-kirk-us-east-2-rc running'),
      expect.stringMatching(
        /^info: account:dev-kirk-us-east-2-rc succeeded in \d+s$/,
      ),
    ]);
    expect(
      lines.filter(
        l => l === `info: Run ${runId} (region dev-kirk-us-east-2) succeeded`,
      ),
    ).toHaveLength(1);

    // Every line of the run's log, in order and once, with its step.
    const keys = new Map(run.steps.map((s: any) => [s.id, s.key]));
    const log = (await api('get', `/runs/${runId}/logs`)).body.items;
    expect(log.length).toBeGreaterThan(0);
    expect(lines.filter(l => /^\w+: \[/.test(l))).toEqual(
      log.map((l: any) => `${l.level}: [${keys.get(l.stepId)}] ${l.message}`),
    );
    expect(lines).toContain(
      'info: [provision:dev-kirk-us-east-2-rc:cluster] provisioning dev-kirk-us-east-2-rc',
    );
  });

  it("fails the task with the run's error, from its failing step", async () => {
    const runId = await requestRegion('fail');
    const { ctx, lines, outputs } = actionContext({
      runId,
      pollSeconds: POLL,
    });

    await expect(action().handler(ctx)).rejects.toThrow(
      new Error(
        `Provision dev-fail-us-east-2-rc: cluster: ${process.execPath} exited with 3`,
      ),
    );
    expect(outputs().status).toBe('failed');
    expect(lines).toContainEqual(
      expect.stringMatching(
        /^error: provision:dev-fail-us-east-2-rc:cluster failed in \d+s: .* exited with 3$/,
      ),
    );
    expect(lines).toContain(
      'info: [provision:dev-fail-us-east-2-rc:cluster] provisioning dev-fail-us-east-2-rc',
    );
  });

  it('fails the task when the run is cancelled', async () => {
    const runId = await requestRegion('slow', 'eu-west-1');
    const { ctx, logger } = actionContext({ runId, pollSeconds: POLL });
    // Cancel the run as soon as the task log shows its provisioning running.
    const record = logger.info.getMockImplementation()!;
    let cancelled: Promise<unknown> | undefined;
    logger.info.mockImplementation((message: string) => {
      record(message);
      if (!cancelled && message.endsWith(':cluster running')) {
        cancelled = api('post', `/runs/${runId}/cancel`).then(r => r);
      }
    });

    await expect(action().handler(ctx)).rejects.toThrow(
      `Account-minting run ${runId} was cancelled during Provision dev-slow-eu-west-1-rc: cluster`,
    );
    expect(((await cancelled) as any).status).toBe(200);
  });

  it('fails with a timeout, leaving the run going', async () => {
    const runId = await requestRegion('slow');
    const { ctx } = actionContext({
      runId,
      pollSeconds: POLL,
      timeoutMinutes: 0.002, // 120ms
    });

    await expect(action().handler(ctx)).rejects.toThrow(
      new RegExp(
        `^Timed out after 0.002 minutes waiting for account-minting run ${runId}, which is still (queued|running); it goes on, follow it at ${APP_BASE_URL}/account-minting/runs/${runId}$`,
      ),
    );
    const run = (await api('get', `/runs/${runId}`)).body;
    expect(['queued', 'running']).toContain(run.status);
  });

  it('counts the timeout from the first wait when the task is recovered', async () => {
    // The slow region of the test before: the backend answers its run again.
    const runId = await requestRegion('slow');
    const store = checkpointStore();
    // The first execution started waiting ten minutes ago.
    store.values.set(
      `account-minting-run-wait-${runId}`,
      new Date(Date.now() - 10 * 60_000).toISOString(),
    );
    const { ctx } = actionContext(
      { runId, pollSeconds: POLL, timeoutMinutes: 5 },
      { checkpoint: store.checkpoint as any },
    );

    await expect(action().handler(ctx)).rejects.toThrow(
      /^Timed out after 5 minutes waiting for account-minting run/,
    );
  });

  it('stops waiting when the task is cancelled, leaving the run going', async () => {
    const runId = await requestRegion('slow');
    const controller = new AbortController();
    const { ctx, logger } = actionContext(
      { runId, pollSeconds: POLL },
      { signal: controller.signal },
    );
    const record = logger.info.getMockImplementation()!;
    logger.info.mockImplementation((message: string) => {
      record(message);
      if (message.endsWith(':cluster running')) controller.abort();
    });

    await expect(action().handler(ctx)).rejects.toThrow(
      `Stopped waiting for account-minting run ${runId}: the task was cancelled (the run goes on: ${APP_BASE_URL}/account-minting/runs/${runId})`,
    );
    const run = (await api('get', `/runs/${runId}`)).body;
    expect(run.status).toBe('running');
  });

  it('refuses to poll more often than its minimum', async () => {
    const { ctx } = actionContext({ runId: 'any', pollSeconds: 0.001 });
    await expect(action().handler(ctx)).rejects.toThrow(
      'pollSeconds: must be at least 0.01',
    );
    const production = createRunWaitAction(minting.options);
    const { ctx: second } = actionContext({ runId: 'any', pollSeconds: 0.5 });
    await expect(production.handler(second)).rejects.toThrow(
      'pollSeconds: must be at least 1',
    );
    expect(
      (production.schema?.input as any).properties.pollSeconds,
    ).toMatchObject({ type: 'number', minimum: 1 });
  });

  it('keeps looking while the backend is out of reach, up to ten looks', async () => {
    // A port that nothing listens on any more.
    const closed = createServer();
    await new Promise<void>(resolve => closed.listen(0, resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise(resolve => closed.close(resolve));
    const unreachable = `http://localhost:${port}/api/account-minting`;
    const { ctx, lines } = actionContext({ runId: 'r1', pollSeconds: POLL });
    const waiting = createRunWaitAction({
      ...minting.options,
      discovery: {
        getBaseUrl: async () => unreachable,
        getExternalBaseUrl: async () => unreachable,
      },
      minPollSeconds: POLL,
    });

    await expect(waiting.handler(ctx)).rejects.toThrow(
      /^The account-minting backend could not be reached: .*ECONNREFUSED/,
    );
    expect(lines.filter(l => l.startsWith('warn: '))).toEqual(
      Array(9).fill(
        expect.stringMatching(
          /^warn: Could not read run r1 \(The account-minting backend could not be reached: .*\); trying again$/,
        ),
      ),
    );
  });

  it('fails for a run that does not exist', async () => {
    const { ctx } = actionContext({
      runId: '00000000-0000-0000-0000-000000000000',
      pollSeconds: POLL,
    });
    await expect(action().handler(ctx)).rejects.toThrow(
      /^The account-minting backend answered 404: /,
    );
  });
});
