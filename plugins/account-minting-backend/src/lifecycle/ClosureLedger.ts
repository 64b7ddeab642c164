import { Knex } from 'knex';

const DAY_MS = 24 * 60 * 60 * 1000;

/** AWS's close quota of one organization: how many closures a rolling window allows. */
export interface CloseWindow {
  payer: string;
  /** Closures the window allows. */
  limit: number;
  windowMs: number;
  /**
   * The organization's accounts now, when known: a closure of an account it no longer
   * has (an organization made anew, as a sandbox is) does not count.
   */
  accountIds?: Set<string>;
}

/** The closures of an organization in its window now, and what that leaves. */
export interface WindowUsage {
  used: number;
  left: number;
  /** When the oldest closure in the window leaves it, freeing a slot; absent when a slot is free. */
  nextSlotAt?: Date;
}

/** What reserving a closure answers. */
export type Reservation =
  | { ok: true }
  | {
      ok: false;
      /** When the window will have freed enough slots for this closure. */
      nextSlotAt: Date;
    };

interface Row {
  payer: string;
  account_id: string;
  closed_at: string | Date;
}

/**
 * AWS's close quota: an organization may close only 10% of its member accounts
 * (at least 10, at most 1000) in a rolling 30 days, and tells nobody when it closed
 * one. The engine keeps its own closures, per payer, and reserves each before it
 * calls CloseAccount: a closure that does not fit waits for the window instead of
 * being refused by AWS.
 */
export class ClosureLedger {
  constructor(
    private readonly knex: Knex,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** The closures of the payer in the window now, in the order they were reserved. */
  private async inWindow(window: CloseWindow, db: Knex): Promise<Row[]> {
    const since = new Date(this.now().getTime() - window.windowMs);
    const rows: Row[] = await db<Row>('account_closures')
      .where('payer', window.payer)
      .where('closed_at', '>', since)
      .orderBy('seq', 'asc');
    const { accountIds } = window;
    return accountIds ? rows.filter(r => accountIds.has(r.account_id)) : rows;
  }

  /** When enough of the oldest closures leave the window for `position` (1-based) to fit. */
  private slotFor(window: CloseWindow, rows: Row[], position: number) {
    const leaving = rows[Math.min(rows.length, position - window.limit) - 1];
    return new Date(new Date(leaving.closed_at).getTime() + window.windowMs);
  }

  /** The window now, for `needed` closures: when the first that does not fit may go. */
  async usage(window: CloseWindow, needed = 1): Promise<WindowUsage> {
    const rows = await this.inWindow(window, this.knex);
    const left = Math.max(0, window.limit - rows.length);
    if (left >= needed) return { used: rows.length, left };
    // The closures this plan makes itself free their slots last.
    const nextSlotAt =
      rows.length > 0
        ? this.slotFor(window, rows, Math.max(rows.length, window.limit) + 1)
        : new Date(this.now().getTime() + window.windowMs);
    return { used: rows.length, left, nextSlotAt };
  }

  /**
   * Records a closure before CloseAccount is called, when the window has room for
   * it. Reserving again for the same account (a retry after a crash) keeps the first
   * reservation. Two replicas reserving the last slot at once: each counts the
   * window after its insert, and the later insert of the two gives its slot back.
   */
  async reserve(
    window: CloseWindow,
    closure: { accountId: string; regionOu: string; runId?: string },
  ): Promise<Reservation> {
    await this.knex('account_closures')
      .insert({
        payer: window.payer,
        account_id: closure.accountId,
        region_ou: closure.regionOu,
        run_id: closure.runId ?? null,
        closed_at: this.now(),
      })
      .onConflict(['payer', 'account_id'])
      .ignore();
    const rows = await this.inWindow(window, this.knex);
    const position =
      rows.findIndex(r => r.account_id === closure.accountId) + 1;
    // A reservation older than the window is a closure AWS made long ago: it fits.
    if (position === 0 || position <= window.limit) return { ok: true };
    const nextSlotAt = this.slotFor(window, rows, position);
    await this.release(window.payer, closure.accountId);
    return { ok: false, nextSlotAt };
  }

  /** Gives a reservation back: AWS refused the closure, so it does not count. */
  async release(payer: string, accountId: string): Promise<void> {
    await this.knex('account_closures')
      .where({ payer, account_id: accountId })
      .delete();
  }
}

/**
 * The close quota of an organization with `members` member accounts: AWS's 10%, at
 * least 10 and at most 1000, unless the configuration says otherwise.
 */
export function closeWindowOf(
  decommission: { closeWindowDays: number; closeQuota?: number },
  payer: string,
  accountIds: Set<string>,
  managementAccountId: string,
): CloseWindow & { limitSource: 'computed' | 'config' } {
  const members = [...accountIds].filter(
    id => id !== managementAccountId,
  ).length;
  const computed = Math.min(1000, Math.max(10, Math.floor(0.1 * members)));
  return {
    payer,
    accountIds,
    limit: decommission.closeQuota ?? computed,
    limitSource: decommission.closeQuota ? 'config' : 'computed',
    windowMs: decommission.closeWindowDays * DAY_MS,
  };
}
