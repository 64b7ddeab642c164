import {
  actionContext,
  APP_BASE_URL,
  APPROVERS,
  asUser,
  checkpointStore,
  startMinting,
  testDatabases,
  withApprovals,
} from '../__testUtils__/minting';
import { createRegionCreateAction } from './createRegion';
import { createPipelineRunAction } from './runPipeline';
import { createRunWaitAction } from './waitForRun';

const databases = testDatabases();

// The tests mint regions through their approvals on a backend and its sandbox: generous,
// so that a loaded machine is slow, never failing. Waits have deadlines of their own.
jest.setTimeout(120_000);

// The tests poll every 10ms: the action accepts it when made with a smaller minimum.
const POLL = 0.01;

describe('actions in environments that need approval', () => {
  let minting: Awaited<ReturnType<typeof startMinting>>;

  // A backend per test: each test's changes start from none.
  beforeEach(async () => {
    minting = await startMinting(databases, withApprovals);
  });

  afterEach(() => minting.minting.stop());

  const api = (method: 'get' | 'post', path: string, who = 'alice') =>
    minting.minting.api(method, path).set('Authorization', asUser(who));
  const createRegion = () => createRegionCreateAction(minting.options);
  const waitForRun = () =>
    createRunWaitAction({ ...minting.options, minPollSeconds: POLL });

  /** Requests a region with the action and returns its outputs. */
  async function requestRegion(input: {
    environment: string;
    region: string;
    reason?: string;
  }) {
    const requested = actionContext(input);
    await createRegion().handler(requested.ctx);
    return requested;
  }

  it('outputs the change request of a prod region, and no run', async () => {
    const { lines, outputs } = await requestRegion({
      environment: 'prod',
      region: 'us-east-1',
      reason: 'the platform launches there',
    });

    const { changeId } = outputs();
    expect(outputs()).toEqual({
      region: 'prod-us-east-1',
      changeId: expect.any(String),
      changeStatus: 'pending',
      approvalsNeeded: 2,
      changeUrl: `${APP_BASE_URL}/account-minting/approvals/${changeId}`,
    });
    expect(lines).toEqual([
      `info: Requested region prod-us-east-1; change ${changeId} is waiting for approval: 0 of 2 approvals by ${APPROVERS}: ${APP_BASE_URL}/account-minting/approvals/${changeId}`,
    ]);
    const change = (await api('get', `/changes/${changeId}`)).body;
    expect(change).toMatchObject({
      status: 'pending',
      reason: 'the platform launches there',
      region: 'prod-us-east-1',
    });
    expect((await api('get', '/runs')).body.items).toEqual([]);
  });

  it('outputs the same change without asking again when a recovered task runs it again', async () => {
    const store = checkpointStore();
    const input = {
      environment: 'prod',
      region: 'us-east-1',
      reason: 'launch',
    };
    const first = actionContext(input, { checkpoint: store.checkpoint as any });
    await createRegion().handler(first.ctx);
    const callsToTheBackend = minting.discovery.getBaseUrl.mock.calls.length;

    const second = actionContext(input, {
      checkpoint: store.checkpoint as any,
    });
    await createRegion().handler(second.ctx);

    expect(second.outputs()).toEqual(first.outputs());
    expect(minting.discovery.getBaseUrl).toHaveBeenCalledTimes(
      callsToTheBackend,
    );
    const { changeId, changeUrl } = first.outputs();
    expect(second.lines).toEqual([
      `info: Region prod-us-east-1 was requested before the task was recovered; change ${changeId} waits for approval: ${changeUrl}`,
    ]);
  });

  it('fails a prod request without a reason, naming the field', async () => {
    const { ctx } = actionContext({ environment: 'prod', region: 'us-east-1' });

    await expect(createRegion().handler(ctx)).rejects.toThrow(
      /^The account-minting backend answered 400: reason: /,
    );
    expect(ctx.output).not.toHaveBeenCalled();
  });

  it('waits for the approvals of a change, then follows the run they start', async () => {
    const requested = await requestRegion({
      environment: 'prod',
      region: 'eu-west-2',
      reason: 'capacity',
    });
    const { changeId } = requested.outputs();

    // Approve as each count of approvals shows in the task log: bob first, then dave.
    const { ctx, lines, logger, outputs } = actionContext({
      changeId,
      runId: '', // as a template renders the runId the request did not output
      pollSeconds: POLL,
    });
    const record = logger.info.getMockImplementation()!;
    const approvals: Promise<{ status: number }>[] = [];
    logger.info.mockImplementation((message: string) => {
      record(message);
      const approver = {
        'waiting for approval (0 of 2)': 'bob',
        'waiting for approval (1 of 2)': 'dave',
      }[message];
      if (approver) {
        approvals.push(
          api('post', `/changes/${changeId}/approve`, approver)
            .send({ comment: 'fine' })
            .then(r => r),
        );
      }
    });

    await waitForRun().handler(ctx);

    expect((await Promise.all(approvals)).map(a => a.status)).toEqual([
      200, 200,
    ]);
    const change = (await api('get', `/changes/${changeId}`)).body;
    expect(change).toMatchObject({ status: 'started', approvals: 2 });
    const { runId } = change;
    expect(outputs()).toEqual({
      status: 'succeeded',
      runId,
      runUrl: `${APP_BASE_URL}/account-minting/runs/${runId}`,
      durationSeconds: expect.any(Number),
    });
    // Each count once, in order, then the run as run:wait follows any run.
    const approvalLines = lines.filter(l => /approv/.test(l));
    expect(approvalLines).toEqual([
      `info: Waiting for approval of account-minting change ${changeId}: ${APP_BASE_URL}/account-minting/approvals/${changeId}`,
      'info: waiting for approval (0 of 2)',
      'info: waiting for approval (1 of 2)',
      `info: Change ${changeId} was approved by user:default/bob, user:default/dave; run ${runId} started`,
    ]);
    expect(lines).toContain(
      `info: Waiting for account-minting run ${runId}: ${APP_BASE_URL}/account-minting/runs/${runId}`,
    );
    expect(lines[lines.length - 1]).toMatch(
      new RegExp(`^info: Run ${runId} succeeded in \\d+s$`),
    );
    expect((await api('get', `/runs/${runId}`)).body).toMatchObject({
      region: 'prod-eu-west-2',
      status: 'succeeded',
    });

    // A pipeline of the region now waits for approval too.
    const pipeline = actionContext({
      pipeline: 'bootstrap',
      region: 'prod-eu-west-2',
      account: 'prod-eu-west-2-mc0',
      reason: 'its role was deleted by hand',
    });
    await createPipelineRunAction(minting.options).handler(pipeline.ctx as any);
    const bootstrap = pipeline.outputs();
    expect(bootstrap).toEqual({
      changeId: expect.any(String),
      changeStatus: 'pending',
      approvalsNeeded: 2,
      changeUrl: `${APP_BASE_URL}/account-minting/approvals/${bootstrap.changeId}`,
    });
    expect(pipeline.lines).toEqual([
      `info: The bootstrap of prod-eu-west-2-mc0 needs approval; change ${bootstrap.changeId} is waiting for approval: 0 of 2 approvals by ${APPROVERS}: ${bootstrap.changeUrl}`,
    ]);
    expect(
      (await api('get', `/changes/${bootstrap.changeId}`)).body,
    ).toMatchObject({
      kind: 'run',
      pipeline: 'bootstrap',
      account: 'prod-eu-west-2-mc0',
      reason: 'its role was deleted by hand',
    });
  });

  it("fails with the rejecter's comment when the change is rejected", async () => {
    const requested = await requestRegion({
      environment: 'prod',
      region: 'us-east-1',
      reason: 'launch',
    });
    const { changeId } = requested.outputs();
    const { ctx, logger, outputs } = actionContext({
      changeId,
      pollSeconds: POLL,
    });
    const record = logger.info.getMockImplementation()!;
    let rejected: Promise<{ status: number }> | undefined;
    logger.info.mockImplementation((message: string) => {
      record(message);
      if (!rejected && message === 'waiting for approval (0 of 2)') {
        rejected = api('post', `/changes/${changeId}/reject`, 'bob')
          .send({ comment: 'not before the freeze ends' })
          .then(r => r);
      }
    });

    await expect(waitForRun().handler(ctx)).rejects.toThrow(
      new Error(
        `Account-minting change ${changeId} was rejected by user:default/bob: not before the freeze ends; nothing was started`,
      ),
    );
    expect((await rejected)?.status).toBe(200);
    expect(outputs()).toEqual({});
    expect((await api('get', '/runs')).body.items).toEqual([]);
  });

  it('fails when the change expires before its approvals', async () => {
    // Stage's changes expire at once, and need no reason.
    const requested = await requestRegion({
      environment: 'stage',
      region: 'us-east-1',
    });
    const { changeId } = requested.outputs();
    expect(requested.outputs().approvalsNeeded).toBe(1);
    const { ctx } = actionContext({ changeId, pollSeconds: POLL });

    await expect(waitForRun().handler(ctx)).rejects.toThrow(
      new RegExp(
        `^Account-minting change ${changeId} expired at \\S+ with 0 of 1 approvals by ${APPROVERS}; nothing was started: ask for it again$`,
      ),
    );
  });

  it('stops at its approval timeout, leaving the change pending', async () => {
    const requested = await requestRegion({
      environment: 'prod',
      region: 'us-east-1',
      reason: 'launch',
    });
    const { changeId, changeUrl } = requested.outputs();
    const { ctx } = actionContext({
      changeId,
      pollSeconds: POLL,
      approvalTimeoutMinutes: 0.002, // 120ms
    });

    await expect(waitForRun().handler(ctx)).rejects.toThrow(
      new Error(
        `Timed out after 0.002 minutes waiting for approval of account-minting change ${changeId}, which is pending with 0 of 2 approvals by ${APPROVERS}; it stays open until it expires, follow it at ${changeUrl}`,
      ),
    );
    expect((await api('get', `/changes/${changeId}`)).body.status).toBe(
      'pending',
    );
  });

  it('wants one of runId and changeId', async () => {
    const neither = actionContext({ runId: '', changeId: '' });
    await expect(waitForRun().handler(neither.ctx)).rejects.toThrow(
      'runId: required, or changeId',
    );
    const both = actionContext({ runId: 'r1', changeId: 'c1' });
    await expect(waitForRun().handler(both.ctx)).rejects.toThrow(
      'runId and changeId: give one of them, not both',
    );
  });
});
