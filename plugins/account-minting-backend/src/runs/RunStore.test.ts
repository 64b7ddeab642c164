import { testDatabases } from '../testUtils/databases';
import { ConflictError, InputError, NotFoundError } from '@backstage/errors';
import { Knex } from 'knex';
import { applyDatabaseMigrations } from '../database/migrations';
import { RunStore } from './RunStore';
import { NewStep, StepRecord } from './types';

jest.setTimeout(60_000);

const databases = testDatabases();

const LEASE_MS = 30_000;
const REGION = 'dev-kirk-us-east-2';

/** A clock the tests move by hand, to expire leases and backoffs. */
class FakeClock {
  private time = Date.parse('2026-11-28T10:00:00.000Z');
  readonly now = () => new Date(this.time);
  advance(ms: number) {
    this.time += ms;
  }
}

function step(key: string, dependsOn: string[] = []): NewStep {
  return {
    key,
    kind: 'mint-account',
    title: `Mint ${key}`,
    target: { payer: 'payer-dev', regionOu: REGION, account: key },
    dependsOn,
  };
}

describe.each(databases.eachSupportedId())('RunStore on %s', databaseId => {
  let knex: Knex;
  let clock: FakeClock;
  let store: RunStore;

  beforeAll(async () => {
    knex = await databases.init(databaseId);
    await applyDatabaseMigrations(knex);
  });

  beforeEach(async () => {
    await knex('runs').delete();
    clock = new FakeClock();
    store = new RunStore({ knex, now: clock.now });
  });

  function createRun(steps: NewStep[], account?: string) {
    return store.createRun({
      pipeline: 'mint',
      region: REGION,
      account,
      requestedBy: 'user:default/kirk',
      steps,
    });
  }

  /** Claims steps until none is claimable, as a worker polling would. */
  async function claimAll(
    claimer: RunStore,
    workerId: string,
  ): Promise<StepRecord[]> {
    const claimed: StepRecord[] = [];
    for (;;) {
      const next = await claimer.claimStep(workerId, LEASE_MS);
      if (!next) {
        return claimed;
      }
      claimed.push(next);
    }
  }

  async function stepStatuses(runId: string) {
    const steps = await store.getSteps(runId);
    return Object.fromEntries(steps.map(s => [s.key, s.status]));
  }

  async function countRows(table: string): Promise<number> {
    const [{ count }] = await knex(table).count({ count: '*' });
    return Number(count);
  }

  describe('createRun', () => {
    it('creates a queued run with pending steps, read back as created', async () => {
      const created = await createRun([step('ou'), step('rc', ['ou'])]);

      expect(created.run).toEqual({
        id: expect.any(String),
        pipeline: 'mint',
        mode: 'apply',
        region: REGION,
        status: 'queued',
        requestedBy: 'user:default/kirk',
        createdAt: '2026-11-28T10:00:00.000Z',
      });
      expect(created.steps.map(s => [s.key, s.status, s.attempts])).toEqual([
        ['ou', 'pending', 0],
        ['rc', 'pending', 0],
      ]);
      expect(created.steps[1]).toMatchObject({
        runId: created.run.id,
        target: { payer: 'payer-dev', regionOu: REGION, account: 'rc' },
        dependsOn: ['ou'],
      });
      await expect(store.getRun(created.run.id)).resolves.toEqual(created.run);
      await expect(store.getSteps(created.run.id)).resolves.toEqual(
        created.steps,
      );
      await expect(store.getStep(created.steps[1].id)).resolves.toEqual(
        created.steps[1],
      );
    });

    it.each([
      ['no steps', []],
      ['duplicate keys', [step('a'), step('a')]],
      ['an unknown dependency', [step('a'), step('b', ['missing'])]],
      ['a dependency cycle', [step('a', ['b']), step('b', ['a'])]],
    ])('refuses %s and writes nothing', async (_name, steps) => {
      await expect(createRun(steps)).rejects.toThrow(InputError);
      expect(await countRows('runs')).toBe(0);
      expect(await countRows('steps')).toBe(0);
    });
  });

  it('throws NotFoundError for an unknown run or step', async () => {
    await expect(store.getRun('nope')).rejects.toThrow(NotFoundError);
    await expect(store.getStep('nope')).rejects.toThrow(NotFoundError);
    await expect(store.cancelRun('nope')).rejects.toThrow(NotFoundError);
  });

  describe('claimStep', () => {
    it('leases the step and starts the run', async () => {
      const { run } = await createRun([step('ou')]);

      const claimed = await store.claimStep('worker-a', LEASE_MS);

      expect(claimed).toMatchObject({
        key: 'ou',
        status: 'running',
        attempts: 1,
        leaseOwner: 'worker-a',
        leaseExpiresAt: '2026-11-28T10:00:30.000Z',
        startedAt: '2026-11-28T10:00:00.000Z',
      });
      expect(await store.getRun(run.id)).toMatchObject({
        status: 'running',
        startedAt: '2026-11-28T10:00:00.000Z',
      });
    });

    it('waits for dependencies, then offers parallel steps together', async () => {
      await createRun([
        step('ou'),
        step('rc', ['ou']),
        step('prod', ['ou']),
        step('share', ['rc', 'prod']),
      ]);

      const first = await claimAll(store, 'worker-a');
      expect(first.map(s => s.key)).toEqual(['ou']);

      await store.completeStep(first[0].id, 'worker-a', {
        status: 'succeeded',
      });
      const parallel = await claimAll(store, 'worker-a');
      expect(parallel.map(s => s.key)).toEqual(['rc', 'prod']);

      await store.completeStep(parallel[0].id, 'worker-a', {
        status: 'succeeded',
      });
      expect(await store.claimStep('worker-a', LEASE_MS)).toBeUndefined();
      await store.completeStep(parallel[1].id, 'worker-a', {
        status: 'succeeded',
      });
      expect((await store.claimStep('worker-a', LEASE_MS))?.key).toBe('share');
    });

    it('takes the steps of the oldest run first', async () => {
      const older = await createRun([step('a')]);
      clock.advance(1_000);
      await createRun([step('a')], 'other');

      const claimed = await store.claimStep('worker-a', LEASE_MS);

      expect(claimed?.runId).toBe(older.run.id);
    });

    it('gives each step to exactly one of two stores claiming at once', async () => {
      const keys = Array.from({ length: 20 }, (_, i) => `account-${i}`);
      await createRun(keys.map(key => step(key)));
      const other = new RunStore({ knex, now: clock.now });

      const claims = await Promise.all([
        claimAll(store, 'worker-a'),
        claimAll(other, 'worker-b'),
        claimAll(store, 'worker-c'),
        claimAll(other, 'worker-d'),
      ]);

      const claimedKeys = claims.flat().map(s => s.key);
      expect(claimedKeys).toHaveLength(20);
      expect(new Set(claimedKeys)).toEqual(new Set(keys));
    });

    it('lets another worker take over a step whose lease expired', async () => {
      const { steps } = await createRun([step('ou')]);
      await store.claimStep('worker-a', LEASE_MS);

      clock.advance(LEASE_MS - 1);
      expect(await store.claimStep('worker-b', LEASE_MS)).toBeUndefined();

      clock.advance(2);
      const recovered = await store.claimStep('worker-b', LEASE_MS);
      expect(recovered).toMatchObject({
        id: steps[0].id,
        leaseOwner: 'worker-b',
        attempts: 2,
        startedAt: '2026-11-28T10:00:00.000Z',
      });
      await expect(
        store.heartbeat(steps[0].id, 'worker-a', LEASE_MS),
      ).resolves.toBe('lost');
      await expect(
        store.completeStep(steps[0].id, 'worker-a', { status: 'succeeded' }),
      ).rejects.toThrow(ConflictError);
    });
  });

  describe('heartbeat', () => {
    it('extends the lease of the worker that holds the step', async () => {
      const { steps } = await createRun([step('ou')]);
      await store.claimStep('worker-a', LEASE_MS);

      clock.advance(LEASE_MS - 1_000);
      await expect(
        store.heartbeat(steps[0].id, 'worker-a', LEASE_MS),
      ).resolves.toBe('ok');
      clock.advance(LEASE_MS - 1_000);

      expect(await store.claimStep('worker-b', LEASE_MS)).toBeUndefined();
    });

    it('says lost to a worker that never held the step', async () => {
      const { steps } = await createRun([step('ou')]);
      await store.claimStep('worker-a', LEASE_MS);

      await expect(
        store.heartbeat(steps[0].id, 'worker-b', LEASE_MS),
      ).resolves.toBe('lost');
    });

    it('says cancelled once the run is cancelled, and the step ends cancelled', async () => {
      const { run, steps } = await createRun([step('ou')]);
      await store.claimStep('worker-a', LEASE_MS);
      await store.cancelRun(run.id);

      await expect(
        store.heartbeat(steps[0].id, 'worker-a', LEASE_MS),
      ).resolves.toBe('cancelled');
      clock.advance(1_000);
      await store.completeStep(steps[0].id, 'worker-a', {
        status: 'succeeded',
        outputs: { accountId: '111122223333' },
      });

      expect(await store.getStep(steps[0].id)).toMatchObject({
        status: 'cancelled',
        outputs: { accountId: '111122223333' },
      });
      expect(await store.getRun(run.id)).toMatchObject({
        status: 'cancelled',
        finishedAt: '2026-11-28T10:00:01.000Z',
      });
    });
  });

  describe('saveStepProgress', () => {
    it('records the plan and state of a step the worker holds', async () => {
      const { steps } = await createRun([step('rc')]);
      await store.claimStep('worker-a', LEASE_MS);

      await store.saveStepProgress(steps[0].id, 'worker-a', {
        plan: { create: ['rc'] },
      });
      await store.saveStepProgress(steps[0].id, 'worker-a', {
        state: { createAccountRequestId: 'car-1' },
      });

      expect(await store.getStep(steps[0].id)).toMatchObject({
        plan: { create: ['rc'] },
        state: { createAccountRequestId: 'car-1' },
      });
      await expect(
        store.saveStepProgress(steps[0].id, 'worker-a', {}),
      ).rejects.toThrow(InputError);
    });

    it('is refused without the lease', async () => {
      const { steps } = await createRun([step('rc')]);
      const save = (workerId: string) =>
        store.saveStepProgress(steps[0].id, workerId, { state: { x: 1 } });

      await expect(save('worker-a')).rejects.toThrow(ConflictError);
      await store.claimStep('worker-a', LEASE_MS);
      await expect(save('worker-b')).rejects.toThrow(ConflictError);
      await store.completeStep(steps[0].id, 'worker-a', {
        status: 'succeeded',
      });
      await expect(save('worker-a')).rejects.toThrow(ConflictError);
    });
  });

  describe('completeStep', () => {
    it('finishes the run when every step succeeded', async () => {
      const { run, steps } = await createRun([step('ou')]);
      await store.claimStep('worker-a', LEASE_MS);
      clock.advance(5_000);

      await store.completeStep(steps[0].id, 'worker-a', {
        status: 'succeeded',
        outputs: { ouId: 'ou-1' },
      });

      const done = await store.getStep(steps[0].id);
      expect(done).toMatchObject({
        status: 'succeeded',
        outputs: { ouId: 'ou-1' },
        finishedAt: '2026-11-28T10:00:05.000Z',
      });
      expect(done.leaseOwner).toBeUndefined();
      expect(done.leaseExpiresAt).toBeUndefined();
      expect(await store.getRun(run.id)).toMatchObject({
        status: 'succeeded',
        finishedAt: '2026-11-28T10:00:05.000Z',
      });
    });

    it('blocks the dependants of a failed step and fails the run once the rest is done', async () => {
      const { run } = await createRun([
        step('ou'),
        step('rc', ['ou']),
        step('share', ['rc']),
        step('audit'),
      ]);
      const [ou, audit] = await claimAll(store, 'worker-a');

      await store.completeStep(ou.id, 'worker-a', {
        status: 'failed',
        error: 'AccessDenied',
      });
      expect(await stepStatuses(run.id)).toEqual({
        ou: 'failed',
        rc: 'blocked',
        share: 'blocked',
        audit: 'running',
      });
      expect((await store.getRun(run.id)).status).toBe('running');

      await store.completeStep(audit.id, 'worker-a', { status: 'succeeded' });
      expect(await store.getRun(run.id)).toMatchObject({
        status: 'failed',
        error: 'Mint ou: AccessDenied',
        finishedAt: '2026-11-28T10:00:00.000Z',
      });
    });
  });

  describe('latestStepsOfKinds', () => {
    it("keeps only the newest run's steps of each target and kind", async () => {
      const first = await createRun([step('rc'), step('mc0')]);
      clock.advance(1000);
      // A later run of one account: rc's last result is its, mc0's stays the first run's.
      const second = await createRun([step('rc')], 'rc');
      const other = {
        ...step('rc'),
        key: 'boot-rc',
        kind: 'bootstrap-account',
      };
      clock.advance(1000);
      const third = await store.createRun({
        pipeline: 'bootstrap',
        region: REGION,
        account: 'rc',
        requestedBy: 'user:default/kirk',
        steps: [other],
      });

      const latest = await store.latestStepsOfKinds([
        'mint-account',
        'bootstrap-account',
      ]);
      expect(latest.map(s => [s.kind, s.target.account, s.runId])).toEqual([
        ['bootstrap-account', 'rc', third.run.id],
        ['mint-account', 'rc', second.run.id],
        ['mint-account', 'mc0', first.run.id],
      ]);
      expect(await store.latestStepsOfKinds(['provision-account'])).toEqual([]);
    });
  });

  describe('onRunFinished', () => {
    it('is told of a run once, when its last step finishes, and of a cancelled run', async () => {
      const told: string[] = [];
      const watched = new RunStore({
        knex,
        now: clock.now,
        onRunFinished: run => told.push(`${run.id} ${run.status}`),
      });
      const { run } = await createRun([step('ou'), step('rc', ['ou'])]);
      const [ou] = await claimAll(watched, 'w1');
      await watched.completeStep(ou.id, 'w1', { status: 'succeeded' });
      expect(told).toEqual([]);
      const [rc] = await claimAll(watched, 'w1');
      await watched.completeStep(rc.id, 'w1', { status: 'succeeded' });
      expect(told).toEqual([`${run.id} succeeded`]);

      const other = await createRun([step('ou')], 'rc');
      await watched.cancelRun(other.run.id);
      expect(told).toEqual([
        `${run.id} succeeded`,
        `${other.run.id} cancelled`,
      ]);
    });
  });

  describe('retryStepLater', () => {
    it('offers the step again once its backoff is over', async () => {
      const { run, steps } = await createRun([step('ou')]);
      await store.claimStep('worker-a', LEASE_MS);

      await store.retryStepLater(
        steps[0].id,
        'worker-a',
        new Date('2026-11-28T10:01:00.000Z'),
        'Throttling',
      );
      expect(await store.getStep(steps[0].id)).toMatchObject({
        status: 'pending',
        notBefore: '2026-11-28T10:01:00.000Z',
        error: 'Throttling',
        attempts: 1,
      });
      expect(await store.claimStep('worker-a', LEASE_MS)).toBeUndefined();

      clock.advance(60_000);
      const again = await store.claimStep('worker-b', LEASE_MS);
      expect(again).toMatchObject({ id: steps[0].id, attempts: 2 });

      await store.completeStep(steps[0].id, 'worker-b', {
        status: 'succeeded',
      });
      expect((await store.getStep(steps[0].id)).error).toBeUndefined();
      expect((await store.getRun(run.id)).status).toBe('succeeded');
    });

    it('is refused without the lease', async () => {
      const { steps } = await createRun([step('ou')]);

      await expect(
        store.retryStepLater(steps[0].id, 'worker-a', clock.now(), 'x'),
      ).rejects.toThrow(ConflictError);
    });
  });

  describe('cancelRun', () => {
    it('cancels a queued run and its pending steps', async () => {
      const { run } = await createRun([step('ou'), step('rc', ['ou'])]);

      const cancelled = await store.cancelRun(run.id);

      expect(cancelled).toMatchObject({
        status: 'cancelled',
        finishedAt: '2026-11-28T10:00:00.000Z',
      });
      expect(await stepStatuses(run.id)).toEqual({
        ou: 'cancelled',
        rc: 'cancelled',
      });
      expect(await store.claimStep('worker-a', LEASE_MS)).toBeUndefined();
    });

    it('leaves a running step to its worker and the run unfinished until it ends', async () => {
      const { run } = await createRun([step('ou'), step('rc', ['ou'])]);
      await store.claimStep('worker-a', LEASE_MS);

      const cancelled = await store.cancelRun(run.id);

      expect(cancelled.status).toBe('cancelled');
      expect(cancelled.finishedAt).toBeUndefined();
      expect(await stepStatuses(run.id)).toEqual({
        ou: 'running',
        rc: 'cancelled',
      });
    });

    it('cancels a running step whose worker died instead of handing it out', async () => {
      const { run } = await createRun([step('ou')]);
      await store.claimStep('worker-a', LEASE_MS);
      await store.cancelRun(run.id);

      clock.advance(LEASE_MS + 1);
      expect(await store.claimStep('worker-b', LEASE_MS)).toBeUndefined();

      expect(await stepStatuses(run.id)).toEqual({ ou: 'cancelled' });
      expect((await store.getRun(run.id)).finishedAt).toBe(
        '2026-11-28T10:00:30.001Z',
      );
    });

    it('refuses a finished run', async () => {
      const { run, steps } = await createRun([step('ou')]);
      await store.claimStep('worker-a', LEASE_MS);
      await store.completeStep(steps[0].id, 'worker-a', {
        status: 'succeeded',
      });

      await expect(store.cancelRun(run.id)).rejects.toThrow(ConflictError);
    });
  });

  describe('retryRun', () => {
    it('runs again the steps that did not succeed', async () => {
      const { run } = await createRun([
        step('ou'),
        step('rc', ['ou']),
        step('audit'),
      ]);
      const [ou, audit] = await claimAll(store, 'worker-a');
      await store.completeStep(audit.id, 'worker-a', { status: 'succeeded' });
      await store.completeStep(ou.id, 'worker-a', {
        status: 'failed',
        error: 'AccessDenied',
      });

      const retried = await store.retryRun(run.id);

      expect(retried.status).toBe('queued');
      expect(retried.error).toBeUndefined();
      expect(retried.finishedAt).toBeUndefined();
      expect(await stepStatuses(run.id)).toEqual({
        ou: 'pending',
        rc: 'pending',
        audit: 'succeeded',
      });
      // A retried step gets every attempt again: one that ran out of attempts is not refused at once.
      const again = await store.claimStep('worker-a', LEASE_MS);
      expect(again).toMatchObject({ key: 'ou', attempts: 1 });
      expect(again?.error).toBeUndefined();
    });

    it('queues a cancelled run again', async () => {
      const { run } = await createRun([step('ou')]);
      await store.cancelRun(run.id);

      await store.retryRun(run.id);

      expect(await stepStatuses(run.id)).toEqual({ ou: 'pending' });
      expect((await store.claimStep('worker-a', LEASE_MS))?.key).toBe('ou');
    });

    it('refuses a queued, running or succeeded run', async () => {
      const { run, steps } = await createRun([step('ou')]);
      await expect(store.retryRun(run.id)).rejects.toThrow(ConflictError);
      await store.claimStep('worker-a', LEASE_MS);
      await expect(store.retryRun(run.id)).rejects.toThrow(ConflictError);
      await store.completeStep(steps[0].id, 'worker-a', {
        status: 'succeeded',
      });
      await expect(store.retryRun(run.id)).rejects.toThrow(ConflictError);
    });
  });

  describe('findActiveRun', () => {
    it('finds a queued or running run for exactly the same target', async () => {
      const regionRun = await createRun([step('ou')]);
      const accountRun = await createRun([step('rc')], 'rc');

      expect((await store.findActiveRun(REGION, 'mint'))?.id).toBe(
        regionRun.run.id,
      );
      expect((await store.findActiveRun(REGION, 'mint', 'rc'))?.id).toBe(
        accountRun.run.id,
      );
      expect(await store.findActiveRun(REGION, 'mint', 'prod')).toBeUndefined();
      expect(await store.findActiveRun(REGION, 'bootstrap')).toBeUndefined();
      expect(await store.findActiveRun('dev-other', 'mint')).toBeUndefined();

      await store.cancelRun(regionRun.run.id);
      expect(await store.findActiveRun(REGION, 'mint')).toBeUndefined();
    });
  });

  describe('listRuns', () => {
    it('lists runs newest first, filtered and limited', async () => {
      const first = await createRun([step('ou')]);
      clock.advance(1_000);
      const second = await createRun([step('ou')], 'rc');
      clock.advance(1_000);
      const third = await createRun([step('ou')], 'prod');
      await store.cancelRun(second.run.id);

      const ids = async (filter: Parameters<RunStore['listRuns']>[0]) =>
        (await store.listRuns(filter)).map(run => run.id);

      expect(await ids({})).toEqual([
        third.run.id,
        second.run.id,
        first.run.id,
      ]);
      expect(await ids({ limit: 2 })).toEqual([third.run.id, second.run.id]);
      expect(await ids({ status: ['queued'] })).toEqual([
        third.run.id,
        first.run.id,
      ]);
      expect(await ids({ region: REGION, pipeline: 'mint' })).toHaveLength(3);
      expect(await ids({ region: 'dev-other' })).toEqual([]);
    });
  });

  describe('logs', () => {
    it('returns the lines of a run in order, by step and page by page', async () => {
      const { run, steps } = await createRun([step('ou'), step('rc')]);
      const [ou, rc] = steps;
      for (const [stepId, message] of [
        [ou.id, 'planning'],
        [rc.id, 'waiting'],
        [ou.id, 'creating OU'],
        [ou.id, 'created OU'],
      ]) {
        clock.advance(1_000);
        await store.appendLog({
          runId: run.id,
          stepId,
          level: 'info',
          message,
        });
      }

      const all = await store.getLogs(run.id);
      expect(all.map(line => line.message)).toEqual([
        'planning',
        'waiting',
        'creating OU',
        'created OU',
      ]);
      expect(all[0]).toEqual({
        id: expect.any(Number),
        stepId: ou.id,
        time: '2026-11-28T10:00:01.000Z',
        level: 'info',
        message: 'planning',
      });

      const ouLines = await store.getLogs(run.id, { stepId: ou.id });
      expect(ouLines.map(line => line.message)).toEqual([
        'planning',
        'creating OU',
        'created OU',
      ]);

      const page1 = await store.getLogs(run.id, { limit: 2 });
      const page2 = await store.getLogs(run.id, {
        afterId: page1[1].id,
        limit: 2,
      });
      const page3 = await store.getLogs(run.id, { afterId: page2[1].id });
      expect([...page1, ...page2].map(line => line.message)).toEqual(
        all.map(line => line.message),
      );
      expect(page3).toEqual([]);
    });
  });
});
