import { testDatabases } from '../__testUtils__/databases';
import { Knex } from 'knex';
import { applyDatabaseMigrations } from '../database/migrations';
import { CreationSlots } from './CreationSlots';

jest.setTimeout(60_000);

const databases = testDatabases();

/** A task that runs until it is let go. */
function held() {
  let release!: () => void;
  const done = new Promise<void>(resolve => (release = resolve));
  return { release, task: () => done };
}

describe.each(databases.eachSupportedId())('creation slots on %s', id => {
  let knex: Knex;
  let now: Date;

  const replica = () =>
    new CreationSlots({
      knex,
      slotsPerPayer: 2,
      leaseMs: 60_000,
      pollMinMs: 5,
      pollMaxMs: 20,
      now: () => now,
    });

  beforeEach(async () => {
    knex = await databases.init(id);
    await applyDatabaseMigrations(knex);
    now = new Date('2026-12-01T10:00:00.000Z');
  });

  it('lets no more creations run in an organization than it has slots, across replicas', async () => {
    const [a, b] = [replica(), replica()];
    const signal = new AbortController().signal;
    const first = held();
    const second = held();
    const running = [
      a.hold('staging-2', 'step-1', signal, first.task),
      b.hold('staging-2', 'step-2', signal, second.task),
    ];
    while ((await a.held('staging-2')) < 2) {
      await new Promise(resolve => setImmediate(resolve));
    }
    // A third creation, on either replica, waits for one of the two to end; other payers do not.
    let thirdRan = false;
    const third = b.hold('staging-2', 'step-3', signal, async () => {
      thirdRan = true;
    });
    await a.hold('control', 'step-4', signal, async () => {});
    expect(thirdRan).toBe(false);
    first.release();
    await third;
    expect(thirdRan).toBe(true);
    second.release();
    await Promise.all(running);
    expect(await a.held('staging-2')).toBe(0);
  });

  /** Two steps of a backend that dies holding both slots. */
  async function diedHoldingBoth() {
    const dead = replica();
    const forever = held();
    const signal = new AbortController().signal;
    dead.hold('staging-2', 'step-1', signal, forever.task);
    dead.hold('staging-2', 'step-2', signal, forever.task);
    while ((await dead.held('staging-2')) < 2) {
      await new Promise(resolve => setImmediate(resolve));
    }
  }

  it('gives a step taken over from a backend that died its own slot back', async () => {
    await diedHoldingBoth();
    let ran = false;
    await replica().hold(
      'staging-2',
      'step-1',
      new AbortController().signal,
      async () => {
        ran = true;
      },
    );
    expect(ran).toBe(true);
  });

  it('frees the slots of a backend that died once their lease runs out', async () => {
    await diedHoldingBoth();
    const survivor = replica();
    const signal = new AbortController().signal;
    let ran = false;
    const waiting = survivor.hold('staging-2', 'step-3', signal, async () => {
      ran = true;
    });
    await survivor.hold('control', 'step-4', signal, async () => {});
    expect(ran).toBe(false);
    now = new Date(now.getTime() + 61_000);
    await waiting;
    expect(ran).toBe(true);
  });

  it('stops waiting for a slot when its step is cancelled', async () => {
    await diedHoldingBoth();
    const cancel = new AbortController();
    const waiting = replica().hold(
      'staging-2',
      'step-3',
      cancel.signal,
      async () => {},
    );
    cancel.abort(new Error('the run was cancelled'));
    await expect(waiting).rejects.toThrow('the run was cancelled');
  });
});
