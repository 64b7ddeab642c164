import { Knex } from 'knex';
import pLimit from 'p-limit';
import { setTimeout as sleep } from 'node:timers/promises';

type Limit = ReturnType<typeof pLimit>;

/** AWS lets about five account creations be in progress in one organization. */
export const CREATIONS_PER_ORGANIZATION = 5;

export interface CreationSlotsOptions {
  knex: Knex;
  /** Creations AWS lets run at once in one organization. */
  slotsPerPayer: number;
  /**
   * How long a slot stays held without renewal. Longer than a step's lease, so that a
   * step taken over from a backend that died gets its slot back before anyone else can.
   */
  leaseMs: number;
  /** The first and the longest wait between two looks for a free slot. */
  pollMinMs: number;
  pollMaxMs: number;
  now?: () => Date;
}

/**
 * The account creations in progress in each payer organization, shared by every
 * replica of the backend through the database: AWS refuses a sixth creation in an
 * organization, whichever backend asks. A slot is held by a step from before its
 * CreateAccount until the creation ends; its lease is renewed while it is held, so
 * the slots of a backend that died free themselves, and a step taken over by
 * another backend gets its own slot back.
 */
export class CreationSlots {
  // In front of the database: this backend's waiters do not all poll it.
  private readonly local = new Map<string, Limit>();
  private readonly ensured = new Set<string>();
  private readonly now: () => Date;

  constructor(private readonly options: CreationSlotsOptions) {
    this.now = options.now ?? (() => new Date());
  }

  /**
   * Runs `task` while holding one of the payer's creation slots, waiting for one as
   * long as it takes. A step that holds a slot already (an earlier attempt of it, on
   * this backend or one that died) gets it back at once. When the task fails with an
   * error after which the creation may still be in progress at AWS (`mayBeInProgress`),
   * the slot is kept for the step's next attempt, or until its lease runs out.
   */
  async hold<T>(
    payer: string,
    holder: string,
    signal: AbortSignal,
    task: () => Promise<T>,
    mayBeInProgress: (error: unknown) => boolean,
  ): Promise<T> {
    await this.ensureSlots(payer);
    const own = await this.tryAcquire(payer, holder, { ownOnly: true });
    if (own !== undefined) {
      return this.run(payer, own, holder, task, mayBeInProgress);
    }
    return this.localGate(payer)(async () => {
      const slot = await this.acquire(payer, holder, signal);
      return this.run(payer, slot, holder, task, mayBeInProgress);
    });
  }

  private async run<T>(
    payer: string,
    slot: number,
    holder: string,
    task: () => Promise<T>,
    mayBeInProgress: (error: unknown) => boolean,
  ): Promise<T> {
    const renewal = setInterval(() => {
      this.renew(payer, slot, holder).catch(() => {
        // A missed renewal leaves the lease to run out; the next one extends it.
      });
    }, Math.max(50, Math.floor(this.options.leaseMs / 3)));
    renewal.unref();
    let release = true;
    try {
      return await task();
    } catch (error) {
      release = !mayBeInProgress(error);
      throw error;
    } finally {
      clearInterval(renewal);
      if (release) {
        await this.release(payer, slot, holder).catch(() => {
          // Not released: its lease frees it.
        });
      }
    }
  }

  /** How many of the payer's slots are held now, by any backend. */
  async held(payer: string): Promise<number> {
    const [{ n }] = await this.options
      .knex('creation_slots')
      .where({ payer })
      .whereNotNull('holder')
      .where('expires_at', '>', this.now())
      .count({ n: '*' });
    return Number(n);
  }

  /** How many slots each payer has held now, by any backend: every payer a creation has used, 0 when none is held. */
  async heldByPayer(): Promise<Record<string, number>> {
    const { knex } = this.options;
    const payers: { payer: string }[] = await knex('creation_slots').distinct(
      'payer',
    );
    const held: { payer: string; n: number | string }[] = await knex(
      'creation_slots',
    )
      .whereNotNull('holder')
      .where('expires_at', '>', this.now())
      .groupBy('payer')
      .select('payer', knex.raw('count(*) as n'));
    const byPayer: Record<string, number> = {};
    for (const { payer } of payers) byPayer[payer] = 0;
    for (const { payer, n } of held) byPayer[payer] = Number(n);
    return byPayer;
  }

  private localGate(payer: string): Limit {
    let gate = this.local.get(payer);
    if (!gate) {
      gate = pLimit(this.options.slotsPerPayer);
      this.local.set(payer, gate);
    }
    return gate;
  }

  private async acquire(
    payer: string,
    holder: string,
    signal: AbortSignal,
  ): Promise<number> {
    let delay = this.options.pollMinMs;
    for (;;) {
      signal.throwIfAborted();
      const slot = await this.tryAcquire(payer, holder);
      if (slot !== undefined) return slot;
      // Jittered, so that waiting backends do not look all at once.
      await sleep(Math.round(delay * (0.5 + Math.random())), undefined, {
        signal,
      });
      delay = Math.min(this.options.pollMaxMs, delay * 1.5);
    }
  }

  /** One look: the slot this holder has already, or (unless `ownOnly`) a free or expired one, taken by a conditional update. */
  private async tryAcquire(
    payer: string,
    holder: string,
    options: { ownOnly?: boolean } = {},
  ): Promise<number | undefined> {
    const { knex } = this.options;
    const now = this.now();
    const takeable = (query: Knex.QueryBuilder) =>
      options.ownOnly
        ? query.where('holder', holder)
        : query.where(q =>
            q
              .whereNull('holder')
              .orWhere('holder', holder)
              .orWhere('expires_at', '<=', now),
          );
    const candidates: { slot: number; holder: string | null }[] = await knex(
      'creation_slots',
    )
      .where({ payer })
      .where('slot', '<', this.options.slotsPerPayer)
      .modify(takeable)
      .select('slot', 'holder')
      .orderBy('slot');
    // A step that held a slot before it was taken over gets that one back.
    candidates.sort(
      (a, b) => Number(b.holder === holder) - Number(a.holder === holder),
    );
    for (const { slot } of candidates) {
      const taken = await knex('creation_slots')
        .where({ payer, slot })
        .modify(takeable)
        .update({ holder, expires_at: this.expiry() });
      if (taken === 1) return slot;
    }
    return undefined;
  }

  private async renew(payer: string, slot: number, holder: string) {
    await this.options
      .knex('creation_slots')
      .where({ payer, slot, holder })
      .update({ expires_at: this.expiry() });
  }

  private async release(payer: string, slot: number, holder: string) {
    await this.options
      .knex('creation_slots')
      .where({ payer, slot, holder })
      .update({ holder: null, expires_at: null });
  }

  private async ensureSlots(payer: string): Promise<void> {
    if (this.ensured.has(payer)) return;
    const rows = Array.from(
      { length: this.options.slotsPerPayer },
      (_, slot) => ({
        payer,
        slot,
        holder: null,
        expires_at: null,
      }),
    );
    await this.options
      .knex('creation_slots')
      .insert(rows)
      .onConflict(['payer', 'slot'])
      .ignore();
    this.ensured.add(payer);
  }

  private expiry(): Date {
    return new Date(this.now().getTime() + this.options.leaseMs);
  }
}
