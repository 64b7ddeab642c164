import { testDatabases } from '../testUtils/databases';
import { ConflictError, InputError, NotFoundError } from '@backstage/errors';
import { Knex } from 'knex';
import { applyDatabaseMigrations } from '../database/migrations';
import { DatabaseLogStore } from './LogStore';
import { DatabaseRunRepository, RunRepository } from './RunRepository';
import { DatabaseStepQueue } from './StepQueue';
import { NewStep, RunRecord, StepRecord } from './types';

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

describe.each(databases.eachSupportedId())(
  'runs, steps and logs on %s',
  databaseId => {
    let knex: Knex;
    let clock: FakeClock;
    let runs: DatabaseRunRepository;
    let queue: DatabaseStepQueue;
    let logs: DatabaseLogStore;

    beforeAll(async () => {
      knex = await databases.init(databaseId);
      await applyDatabaseMigrations(knex);
    });

    beforeEach(async () => {
      await knex('runs').delete();
      clock = new FakeClock();
      runs = new DatabaseRunRepository({ knex, now: clock.now });
      queue = new DatabaseStepQueue({ knex, now: clock.now });
      logs = new DatabaseLogStore({ knex, now: clock.now });
    });

    function createRun(steps: NewStep[], account?: string) {
      return runs.createRun({
        pipeline: 'mint',
        region: REGION,
        account,
        requestedBy: 'user:default/kirk',
        steps,
      });
    }

    /** Claims one step, as a worker with room for one would. */
    async function claimOne(
      claimer: DatabaseStepQueue,
      workerId: string,
    ): Promise<StepRecord | undefined> {
      const claimed = await claimer.claim(workerId, LEASE_MS, 1);
      expect(claimed.length).toBeLessThanOrEqual(1);
      return claimed[0];
    }

    /** Claims steps one at a time until none is claimable, as a worker polling would. */
    async function claimAll(
      claimer: DatabaseStepQueue,
      workerId: string,
    ): Promise<StepRecord[]> {
      const claimed: StepRecord[] = [];
      for (;;) {
        const next = await claimOne(claimer, workerId);
        if (!next) {
          return claimed;
        }
        claimed.push(next);
      }
    }

    async function stepStatuses(runId: string) {
      const steps = await runs.getSteps(runId);
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
        await expect(runs.getRun(created.run.id)).resolves.toEqual(created.run);
        await expect(runs.getSteps(created.run.id)).resolves.toEqual(
          created.steps,
        );
        await expect(runs.getStep(created.steps[1].id)).resolves.toEqual(
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
      await expect(runs.getRun('nope')).rejects.toThrow(NotFoundError);
      await expect(runs.getStep('nope')).rejects.toThrow(NotFoundError);
      await expect(runs.cancelRun('nope')).rejects.toThrow(NotFoundError);
    });

    describe('claimStep', () => {
      it('leases the step and starts the run', async () => {
        const { run } = await createRun([step('ou')]);

        const claimed = await claimOne(queue, 'worker-a');

        expect(claimed).toMatchObject({
          key: 'ou',
          status: 'running',
          attempts: 1,
          leaseOwner: 'worker-a',
          leaseExpiresAt: '2026-11-28T10:00:30.000Z',
          startedAt: '2026-11-28T10:00:00.000Z',
        });
        expect(await runs.getRun(run.id)).toMatchObject({
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

        const first = await claimAll(queue, 'worker-a');
        expect(first.map(s => s.key)).toEqual(['ou']);

        await queue.completeStep(first[0].id, 'worker-a', {
          status: 'succeeded',
        });
        const parallel = await claimAll(queue, 'worker-a');
        expect(parallel.map(s => s.key)).toEqual(['rc', 'prod']);

        await queue.completeStep(parallel[0].id, 'worker-a', {
          status: 'succeeded',
        });
        expect(await claimOne(queue, 'worker-a')).toBeUndefined();
        await queue.completeStep(parallel[1].id, 'worker-a', {
          status: 'succeeded',
        });
        expect((await claimOne(queue, 'worker-a'))?.key).toBe('share');
      });

      it('takes the steps of the oldest run first', async () => {
        const older = await createRun([step('a')]);
        clock.advance(1_000);
        await createRun([step('a')], 'other');

        const claimed = await claimOne(queue, 'worker-a');

        expect(claimed?.runId).toBe(older.run.id);
      });

      it('gives each step to exactly one of two stores claiming at once', async () => {
        const keys = Array.from({ length: 20 }, (_, i) => `account-${i}`);
        await createRun(keys.map(key => step(key)));
        const other = new DatabaseStepQueue({ knex, now: clock.now });

        const claims = await Promise.all([
          claimAll(queue, 'worker-a'),
          claimAll(other, 'worker-b'),
          claimAll(queue, 'worker-c'),
          claimAll(other, 'worker-d'),
        ]);

        const claimedKeys = claims.flat().map(s => s.key);
        expect(claimedKeys).toHaveLength(20);
        expect(new Set(claimedKeys)).toEqual(new Set(keys));
      });

      it('gives two workers claiming batches at once disjoint batches', async () => {
        const keys = Array.from({ length: 20 }, (_, i) => `account-${i}`);
        await createRun(keys.map(key => step(key)));
        const other = new DatabaseStepQueue({ knex, now: clock.now });

        const [a, b] = await Promise.all([
          queue.claim('worker-a', LEASE_MS, 8),
          other.claim('worker-b', LEASE_MS, 8),
        ]);

        expect(a).toHaveLength(8);
        expect(b).toHaveLength(8);
        const claimed = [...a, ...b].map(s => s.key);
        expect(new Set(claimed).size).toBe(16);
        const rest = await claimAll(queue, 'worker-c');
        expect(new Set([...claimed, ...rest.map(s => s.key)])).toEqual(
          new Set(keys),
        );
        expect(claimed.length + rest.length).toBe(20);
        expect(a.every(s => s.leaseOwner === 'worker-a')).toBe(true);
      });

      it('claims a batch of at most max steps in a fixed number of statements', async () => {
        await createRun(
          Array.from({ length: 30 }, (_, i) => step(`account-${i}`)),
        );
        const statements: string[] = [];
        const record = (query: { sql: string }) => statements.push(query.sql);
        knex.on('query', record);
        try {
          const claimed = await queue.claim('worker-a', LEASE_MS, 5);
          // The oldest steps, in no particular order.
          expect(new Set(claimed.map(s => s.key))).toEqual(
            new Set(Array.from({ length: 5 }, (_, i) => `account-${i}`)),
          );
        } finally {
          knex.removeListener('query', record);
        }
        // The abandoned steps of cancelled runs, the claim, and the runs it starts;
        // SQLite and PostgreSQL add the transaction's begin and commit.
        const work = statements.filter(
          sql => !/^(begin|commit|BEGIN|COMMIT|SAVEPOINT|RELEASE)/.test(sql),
        );
        expect(work).toHaveLength(3);
        expect(await queue.claim('worker-b', LEASE_MS, 100)).toHaveLength(25);
      });

      it('lets another worker take over a step whose lease expired', async () => {
        const { steps } = await createRun([step('ou')]);
        await claimOne(queue, 'worker-a');

        clock.advance(LEASE_MS - 1);
        expect(await claimOne(queue, 'worker-b')).toBeUndefined();

        clock.advance(2);
        const recovered = await claimOne(queue, 'worker-b');
        expect(recovered).toMatchObject({
          id: steps[0].id,
          leaseOwner: 'worker-b',
          attempts: 2,
          startedAt: '2026-11-28T10:00:00.000Z',
        });
        await expect(
          queue.heartbeat(steps[0].id, 'worker-a', LEASE_MS),
        ).resolves.toBe('lost');
        await expect(
          queue.completeStep(steps[0].id, 'worker-a', { status: 'succeeded' }),
        ).rejects.toThrow(ConflictError);
      });
    });

    describe('heartbeat', () => {
      it('extends the lease of the worker that holds the step', async () => {
        const { steps } = await createRun([step('ou')]);
        await claimOne(queue, 'worker-a');

        clock.advance(LEASE_MS - 1_000);
        await expect(
          queue.heartbeat(steps[0].id, 'worker-a', LEASE_MS),
        ).resolves.toBe('ok');
        clock.advance(LEASE_MS - 1_000);

        expect(await claimOne(queue, 'worker-b')).toBeUndefined();
      });

      it('says lost to a worker that never held the step', async () => {
        const { steps } = await createRun([step('ou')]);
        await claimOne(queue, 'worker-a');

        await expect(
          queue.heartbeat(steps[0].id, 'worker-b', LEASE_MS),
        ).resolves.toBe('lost');
      });

      it('says cancelled once the run is cancelled, and the step ends cancelled', async () => {
        const { run, steps } = await createRun([step('ou')]);
        await claimOne(queue, 'worker-a');
        await runs.cancelRun(run.id);

        await expect(
          queue.heartbeat(steps[0].id, 'worker-a', LEASE_MS),
        ).resolves.toBe('cancelled');
        clock.advance(1_000);
        await queue.completeStep(steps[0].id, 'worker-a', {
          status: 'succeeded',
          outputs: { accountId: '111122223333' },
        });

        expect(await runs.getStep(steps[0].id)).toMatchObject({
          status: 'cancelled',
          outputs: { accountId: '111122223333' },
        });
        expect(await runs.getRun(run.id)).toMatchObject({
          status: 'cancelled',
          finishedAt: '2026-11-28T10:00:01.000Z',
        });
      });
    });

    describe('saveStepProgress', () => {
      it('records the plan and state of a step the worker holds', async () => {
        const { steps } = await createRun([step('rc')]);
        await claimOne(queue, 'worker-a');

        await queue.saveStepProgress(steps[0].id, 'worker-a', {
          plan: { create: ['rc'] },
        });
        await queue.saveStepProgress(steps[0].id, 'worker-a', {
          state: { createAccountRequestId: 'car-1' },
        });

        expect(await runs.getStep(steps[0].id)).toMatchObject({
          plan: { create: ['rc'] },
          state: { createAccountRequestId: 'car-1' },
        });
        await expect(
          queue.saveStepProgress(steps[0].id, 'worker-a', {}),
        ).rejects.toThrow(InputError);
      });

      it('is refused without the lease', async () => {
        const { steps } = await createRun([step('rc')]);
        const save = (workerId: string) =>
          queue.saveStepProgress(steps[0].id, workerId, { state: { x: 1 } });

        await expect(save('worker-a')).rejects.toThrow(ConflictError);
        await claimOne(queue, 'worker-a');
        await expect(save('worker-b')).rejects.toThrow(ConflictError);
        await queue.completeStep(steps[0].id, 'worker-a', {
          status: 'succeeded',
        });
        await expect(save('worker-a')).rejects.toThrow(ConflictError);
      });
    });

    describe('completeStep', () => {
      it('finishes the run when every step succeeded', async () => {
        const { run, steps } = await createRun([step('ou')]);
        await claimOne(queue, 'worker-a');
        clock.advance(5_000);

        await queue.completeStep(steps[0].id, 'worker-a', {
          status: 'succeeded',
          outputs: { ouId: 'ou-1' },
        });

        const done = await runs.getStep(steps[0].id);
        expect(done).toMatchObject({
          status: 'succeeded',
          outputs: { ouId: 'ou-1' },
          finishedAt: '2026-11-28T10:00:05.000Z',
        });
        expect(done.leaseOwner).toBeUndefined();
        expect(done.leaseExpiresAt).toBeUndefined();
        expect(await runs.getRun(run.id)).toMatchObject({
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
        const [ou, audit] = await claimAll(queue, 'worker-a');

        await queue.completeStep(ou.id, 'worker-a', {
          status: 'failed',
          error: 'AccessDenied',
        });
        expect(await stepStatuses(run.id)).toEqual({
          ou: 'failed',
          rc: 'blocked',
          share: 'blocked',
          audit: 'running',
        });
        expect((await runs.getRun(run.id)).status).toBe('running');

        await queue.completeStep(audit.id, 'worker-a', { status: 'succeeded' });
        expect(await runs.getRun(run.id)).toMatchObject({
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
        const third = await runs.createRun({
          pipeline: 'bootstrap',
          region: REGION,
          account: 'rc',
          requestedBy: 'user:default/kirk',
          steps: [other],
        });

        const latest = await runs.latestStepsOfKinds([
          'mint-account',
          'bootstrap-account',
        ]);
        expect(latest.map(s => [s.kind, s.target.account, s.runId])).toEqual([
          ['bootstrap-account', 'rc', third.run.id],
          ['mint-account', 'rc', second.run.id],
          ['mint-account', 'mc0', first.run.id],
        ]);
        expect(await runs.latestStepsOfKinds(['provision-account'])).toEqual(
          [],
        );
      });
    });

    describe('onRunFinished', () => {
      it('is told of a run once, when its last step finishes, and of a cancelled run', async () => {
        const told: string[] = [];
        const onRunFinished = (finished: RunRecord) =>
          told.push(`${finished.id} ${finished.status}`);
        const watched = new DatabaseStepQueue({
          knex,
          now: clock.now,
          onRunFinished,
        });
        const watchedRuns = new DatabaseRunRepository({
          knex,
          now: clock.now,
          onRunFinished,
        });
        const { run } = await createRun([step('ou'), step('rc', ['ou'])]);
        const [ou] = await claimAll(watched, 'w1');
        await watched.completeStep(ou.id, 'w1', { status: 'succeeded' });
        expect(told).toEqual([]);
        const [rc] = await claimAll(watched, 'w1');
        await watched.completeStep(rc.id, 'w1', { status: 'succeeded' });
        expect(told).toEqual([`${run.id} succeeded`]);

        const other = await createRun([step('ou')], 'rc');
        await watchedRuns.cancelRun(other.run.id);
        expect(told).toEqual([
          `${run.id} succeeded`,
          `${other.run.id} cancelled`,
        ]);
      });
    });

    describe('retryStepLater', () => {
      it('offers the step again once its backoff is over', async () => {
        const { run, steps } = await createRun([step('ou')]);
        await claimOne(queue, 'worker-a');

        await queue.retryStepLater(
          steps[0].id,
          'worker-a',
          new Date('2026-11-28T10:01:00.000Z'),
          'Throttling',
        );
        expect(await runs.getStep(steps[0].id)).toMatchObject({
          status: 'pending',
          notBefore: '2026-11-28T10:01:00.000Z',
          error: 'Throttling',
          attempts: 1,
        });
        expect(await claimOne(queue, 'worker-a')).toBeUndefined();

        clock.advance(60_000);
        const again = await claimOne(queue, 'worker-b');
        expect(again).toMatchObject({ id: steps[0].id, attempts: 2 });

        await queue.completeStep(steps[0].id, 'worker-b', {
          status: 'succeeded',
        });
        expect((await runs.getStep(steps[0].id)).error).toBeUndefined();
        expect((await runs.getRun(run.id)).status).toBe('succeeded');
      });

      it('is refused without the lease', async () => {
        const { steps } = await createRun([step('ou')]);

        await expect(
          queue.retryStepLater(steps[0].id, 'worker-a', clock.now(), 'x'),
        ).rejects.toThrow(ConflictError);
      });
    });

    describe('cancelRun', () => {
      it('cancels a queued run and its pending steps', async () => {
        const { run } = await createRun([step('ou'), step('rc', ['ou'])]);

        const cancelled = await runs.cancelRun(run.id);

        expect(cancelled).toMatchObject({
          status: 'cancelled',
          finishedAt: '2026-11-28T10:00:00.000Z',
        });
        expect(await stepStatuses(run.id)).toEqual({
          ou: 'cancelled',
          rc: 'cancelled',
        });
        expect(await claimOne(queue, 'worker-a')).toBeUndefined();
      });

      it('leaves a running step to its worker and the run unfinished until it ends', async () => {
        const { run } = await createRun([step('ou'), step('rc', ['ou'])]);
        await claimOne(queue, 'worker-a');

        const cancelled = await runs.cancelRun(run.id);

        expect(cancelled.status).toBe('cancelled');
        expect(cancelled.finishedAt).toBeUndefined();
        expect(await stepStatuses(run.id)).toEqual({
          ou: 'running',
          rc: 'cancelled',
        });
      });

      it('cancels a running step whose worker died instead of handing it out', async () => {
        const { run } = await createRun([step('ou')]);
        await claimOne(queue, 'worker-a');
        await runs.cancelRun(run.id);

        clock.advance(LEASE_MS + 1);
        expect(await claimOne(queue, 'worker-b')).toBeUndefined();

        expect(await stepStatuses(run.id)).toEqual({ ou: 'cancelled' });
        expect((await runs.getRun(run.id)).finishedAt).toBe(
          '2026-11-28T10:00:30.001Z',
        );
      });

      it('refuses a finished run', async () => {
        const { run, steps } = await createRun([step('ou')]);
        await claimOne(queue, 'worker-a');
        await queue.completeStep(steps[0].id, 'worker-a', {
          status: 'succeeded',
        });

        await expect(runs.cancelRun(run.id)).rejects.toThrow(ConflictError);
      });
    });

    describe('retryRun', () => {
      it('runs again the steps that did not succeed', async () => {
        const { run } = await createRun([
          step('ou'),
          step('rc', ['ou']),
          step('audit'),
        ]);
        const [ou, audit] = await claimAll(queue, 'worker-a');
        await queue.completeStep(audit.id, 'worker-a', { status: 'succeeded' });
        await queue.completeStep(ou.id, 'worker-a', {
          status: 'failed',
          error: 'AccessDenied',
        });

        const retried = await runs.retryRun(run.id);

        expect(retried.status).toBe('queued');
        expect(retried.error).toBeUndefined();
        expect(retried.finishedAt).toBeUndefined();
        expect(await stepStatuses(run.id)).toEqual({
          ou: 'pending',
          rc: 'pending',
          audit: 'succeeded',
        });
        // A retried step gets every attempt again: one that ran out of attempts is not refused at once.
        const again = await claimOne(queue, 'worker-a');
        expect(again).toMatchObject({ key: 'ou', attempts: 1 });
        expect(again?.error).toBeUndefined();
      });

      it('queues a cancelled run again', async () => {
        const { run } = await createRun([step('ou')]);
        await runs.cancelRun(run.id);

        await runs.retryRun(run.id);

        expect(await stepStatuses(run.id)).toEqual({ ou: 'pending' });
        expect((await claimOne(queue, 'worker-a'))?.key).toBe('ou');
      });

      it('refuses a queued, running or succeeded run', async () => {
        const { run, steps } = await createRun([step('ou')]);
        await expect(runs.retryRun(run.id)).rejects.toThrow(ConflictError);
        await claimOne(queue, 'worker-a');
        await expect(runs.retryRun(run.id)).rejects.toThrow(ConflictError);
        await queue.completeStep(steps[0].id, 'worker-a', {
          status: 'succeeded',
        });
        await expect(runs.retryRun(run.id)).rejects.toThrow(ConflictError);
      });
    });

    describe('attemptSpans', () => {
      /** The spans of a step, as seconds after the fake clock's start. */
      async function spansOf(stepId: string) {
        const start = Date.parse('2026-11-28T10:00:00.000Z');
        const seconds = (iso?: string) =>
          iso === undefined ? undefined : (Date.parse(iso) - start) / 1000;
        return (await runs.getStep(stepId)).attemptSpans?.map(span => [
          seconds(span.startedAt),
          seconds(span.finishedAt),
        ]);
      }

      it('times each attempt apart, across a backoff and a retry of the run', async () => {
        const { run, steps } = await createRun([step('ou')]);
        const id = steps[0].id;
        expect(await spansOf(id)).toBeUndefined();

        await claimOne(queue, 'worker-a');
        clock.advance(5_000);
        expect(await spansOf(id)).toEqual([[0, undefined]]);
        await queue.retryStepLater(
          id,
          'worker-a',
          new Date(clock.now().getTime() + 60_000),
          'Throttling',
        );
        clock.advance(60_000);
        await claimOne(queue, 'worker-b');
        clock.advance(10_000);
        await queue.completeStep(id, 'worker-b', {
          status: 'failed',
          error: 'AccessDenied',
        });
        // An hour later, someone retries the run.
        clock.advance(3_600_000);
        await runs.retryRun(run.id);
        await claimOne(queue, 'worker-a');
        clock.advance(20_000);
        expect(await spansOf(id)).toEqual([
          [0, 5],
          [65, 75],
          [3675, undefined],
        ]);
        await queue.completeStep(id, 'worker-a', { status: 'succeeded' });

        expect(await spansOf(id)).toEqual([
          [0, 5],
          [65, 75],
          [3675, 3695],
        ]);
      });

      it('goes on with an attempt through a wait', async () => {
        const { steps } = await createRun([step('ou')]);
        const id = steps[0].id;
        await claimOne(queue, 'worker-a');
        clock.advance(5_000);
        await queue.retryStepLater(
          id,
          'worker-a',
          new Date(clock.now().getTime() + 10_000),
          'waiting for a creation slot',
          { countAttempt: false },
        );
        clock.advance(10_000);
        await claimOne(queue, 'worker-a');
        clock.advance(5_000);
        await queue.completeStep(id, 'worker-a', { status: 'succeeded' });

        expect(await spansOf(id)).toEqual([[0, 20]]);
      });

      it('ends the attempt of a cancelled step whose worker died where the step ended, before a retry', async () => {
        const { run, steps } = await createRun([step('ou')]);
        const id = steps[0].id;
        await claimOne(queue, 'worker-a');
        await runs.cancelRun(run.id);
        clock.advance(LEASE_MS + 1);
        expect(await claimOne(queue, 'worker-b')).toBeUndefined();
        expect(await spansOf(id)).toEqual([[0, 30.001]]);

        clock.advance(100_000);
        await runs.retryRun(run.id);
        await claimOne(queue, 'worker-b');

        expect(await spansOf(id)).toEqual([
          [0, 30.001],
          [130.001, undefined],
        ]);
      });
    });

    describe('findActiveRun', () => {
      it('finds a queued or running run for exactly the same target', async () => {
        const regionRun = await createRun([step('ou')]);
        const accountRun = await createRun([step('rc')], 'rc');

        expect((await runs.findActiveRun(REGION, 'mint'))?.id).toBe(
          regionRun.run.id,
        );
        expect((await runs.findActiveRun(REGION, 'mint', 'rc'))?.id).toBe(
          accountRun.run.id,
        );
        expect(
          await runs.findActiveRun(REGION, 'mint', 'prod'),
        ).toBeUndefined();
        expect(await runs.findActiveRun(REGION, 'bootstrap')).toBeUndefined();
        expect(await runs.findActiveRun('dev-other', 'mint')).toBeUndefined();

        await runs.cancelRun(regionRun.run.id);
        expect(await runs.findActiveRun(REGION, 'mint')).toBeUndefined();
      });
    });

    describe('listRuns', () => {
      it('lists runs newest first, filtered and limited', async () => {
        const first = await createRun([step('ou')]);
        clock.advance(1_000);
        const second = await createRun([step('ou')], 'rc');
        clock.advance(1_000);
        const third = await createRun([step('ou')], 'prod');
        await runs.cancelRun(second.run.id);

        const ids = async (filter: Parameters<RunRepository['listRuns']>[0]) =>
          (await runs.listRuns(filter)).items.map(run => run.id);

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

      it('pages with a cursor, stable among runs created at the same time', async () => {
        const created: string[] = [];
        for (let i = 0; i < 7; i++) {
          // Pairs of runs share a creation time: the id orders them.
          if (i % 2 === 0) clock.advance(1_000);
          created.push((await createRun([step('ou')], `account-${i}`)).run.id);
        }
        const newestFirst = await runs.listRuns({ limit: 500 });
        expect(newestFirst.nextCursor).toBeUndefined();

        const paged: string[] = [];
        let cursor: string | undefined;
        let pages = 0;
        do {
          const page = await runs.listRuns({ cursor, limit: 3 });
          paged.push(...page.items.map(run => run.id));
          cursor = page.nextCursor;
          pages++;
        } while (cursor);

        expect(pages).toBe(3);
        expect(paged).toEqual(newestFirst.items.map(run => run.id));
        expect(new Set(paged)).toEqual(new Set(created));
        expect((await runs.listRuns()).items).toHaveLength(7);
      });

      it('refuses a cursor it did not give and a limit past the maximum', async () => {
        await expect(runs.listRuns({ cursor: 'nonsense' })).rejects.toThrow(
          /^cursor: /,
        );
        await expect(runs.listRuns({ limit: 501 })).rejects.toThrow(/^limit: /);
        await expect(runs.listRuns({ limit: 0 })).rejects.toThrow(/^limit: /);
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
          await logs.appendLog({
            runId: run.id,
            stepId,
            level: 'info',
            message,
          });
        }

        const { items: all, nextCursor } = await logs.getLogs(run.id);
        expect(nextCursor).toBeUndefined();
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

        const { items: ouLines } = await logs.getLogs(run.id, {
          stepId: ou.id,
        });
        expect(ouLines.map(line => line.message)).toEqual([
          'planning',
          'creating OU',
          'created OU',
        ]);

        const page1 = await logs.getLogs(run.id, { limit: 2 });
        expect(page1.nextCursor).toBe(String(page1.items[1].id));
        const page2 = await logs.getLogs(run.id, {
          afterId: Number(page1.nextCursor),
          limit: 2,
        });
        const page3 = await logs.getLogs(run.id, {
          afterId: page2.items[1].id,
        });
        expect(
          [...page1.items, ...page2.items].map(line => line.message),
        ).toEqual(all.map(line => line.message));
        expect(page3).toEqual({ items: [] });
        await expect(logs.getLogs(run.id, { limit: 5001 })).rejects.toThrow(
          /^limit: /,
        );
      });
    });
  },
);
