import { testDatabases } from '../testUtils/databases';
import { Knex } from 'knex';
import { applyDatabaseMigrations } from '../database/migrations';
import { RunCancelledError } from '../engine/stepStops';
import { CreationSlots } from './CreationSlots';

jest.setTimeout(60_000);

const databases = testDatabases();

/** A task that runs until it is let go. */
function held() {
  let release!: () => void;
  const done = new Promise<void>(resolve => (release = resolve));
  return { release, task: () => done };
}

const running = () => new AbortController().signal;
// As for account creations: any error but these two may leave one in progress.
class CreationOver extends Error {}
const mayBeInProgress = (error: unknown) => !(error instanceof CreationOver);

describe.each(databases.eachSupportedId())('creation slots on %s', id => {
  let knex: Knex;
  let now: Date;

  /** One backend's slots: two per organization, as AWS has five. */
  const replica = () => {
    const slots = new CreationSlots({
      knex,
      slotsPerPayer: 2,
      leaseMs: 60_000,
      pollMinMs: 5,
      pollMaxMs: 20,
      now: () => now,
    });
    return {
      held: (payer: string) => slots.held(payer),
      heldByPayer: () => slots.heldByPayer(),
      hold: <T>(
        payer: string,
        step: string,
        task: () => Promise<T>,
        signal = running(),
      ) => slots.hold(payer, step, signal, task, mayBeInProgress),
    };
  };

  /** Waits, without sleeping, until a payer's slots are all held. */
  async function allHeld(payer: string) {
    const look = replica();
    while ((await look.held(payer)) < 2) {
      await new Promise(resolve => setImmediate(resolve));
    }
  }

  /** Two steps of a backend that dies holding both slots. */
  async function diedHoldingBoth() {
    const dead = replica();
    const forever = held();
    dead.hold('staging-2', 'step-1', forever.task);
    dead.hold('staging-2', 'step-2', forever.task);
    await allHeld('staging-2');
  }

  beforeEach(async () => {
    knex = await databases.init(id);
    await applyDatabaseMigrations(knex);
    now = new Date('2026-12-01T10:00:00.000Z');
  });

  it('lets no more creations run in an organization than it has slots, across replicas', async () => {
    const [a, b] = [replica(), replica()];
    const first = held();
    const second = held();
    const both = [
      a.hold('staging-2', 'step-1', first.task),
      b.hold('staging-2', 'step-2', second.task),
    ];
    await allHeld('staging-2');
    // A third creation, on either replica, waits for one of the two to end; other payers do not.
    let thirdRan = false;
    const third = b.hold('staging-2', 'step-3', async () => {
      thirdRan = true;
    });
    await a.hold('control', 'step-4', async () => {});
    expect(thirdRan).toBe(false);
    first.release();
    await third;
    expect(thirdRan).toBe(true);
    second.release();
    await Promise.all(both);
    expect(await a.held('staging-2')).toBe(0);
  });

  it('reports the slots held in each organization: 0 once its creations are over, or once a lease runs out', async () => {
    const slots = replica();
    expect(await slots.heldByPayer()).toEqual({});
    const creation = held();
    const holding = slots.hold('staging-2', 'step-1', creation.task);
    await slots.hold('control', 'step-2', async () => {});
    while ((await slots.held('staging-2')) < 1) {
      await new Promise(resolve => setImmediate(resolve));
    }
    expect(await slots.heldByPayer()).toEqual({ 'staging-2': 1, control: 0 });

    now = new Date(now.getTime() + 61_000);
    expect(await slots.heldByPayer()).toEqual({ 'staging-2': 0, control: 0 });
    creation.release();
    await holding;
  });

  it('gives a step taken over from a backend that died its own slot back', async () => {
    await diedHoldingBoth();
    let ran = false;
    await replica().hold('staging-2', 'step-1', async () => {
      ran = true;
    });
    expect(ran).toBe(true);
  });

  it('keeps the slot of an attempt whose creation may go on, for the next attempt alone', async () => {
    const slots = replica();
    await expect(
      slots.hold('staging-2', 'step-1', async () => {
        throw new Error('Rate exceeded');
      }),
    ).rejects.toThrow('Rate exceeded');
    await expect(
      slots.hold('staging-2', 'step-2', async () => {
        throw new CreationOver('FAILED: INTERNAL_FAILURE');
      }),
    ).rejects.toThrow('INTERNAL_FAILURE');
    // step-1's creation may still be in progress: its slot stays taken; step-2's is over.
    expect(await slots.held('staging-2')).toBe(1);
    const other = held();
    const otherStep = slots.hold('staging-2', 'step-3', other.task);
    await allHeld('staging-2');
    // Both slots are taken, yet step-1's next attempt goes on at once with its own.
    let ran = false;
    await slots.hold('staging-2', 'step-1', async () => {
      ran = true;
    });
    expect(ran).toBe(true);
    other.release();
    await otherStep;
    expect(await slots.held('staging-2')).toBe(0);
  });

  it('frees the slots of a backend that died once their lease runs out', async () => {
    await diedHoldingBoth();
    const survivor = replica();
    let ran = false;
    const waiting = survivor.hold('staging-2', 'step-3', async () => {
      ran = true;
    });
    await survivor.hold('control', 'step-4', async () => {});
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
      async () => {},
      cancel.signal,
    );
    cancel.abort(new RunCancelledError());
    await expect(waiting).rejects.toThrow('the run was cancelled');
  });
});
