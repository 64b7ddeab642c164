import { applyDatabaseMigrations } from '../database/migrations';
import { testDatabases } from '../testUtils/databases';
import { closeWindowOf, ClosureLedger } from './ClosureLedger';

const databases = testDatabases();

const DAY = 24 * 60 * 60 * 1000;

describe.each(databases.eachSupportedId())('the closure ledger on %s', id => {
  let now = new Date('2026-12-01T00:00:00Z');
  const ledgerOn = async () => {
    const knex = await databases.init(id);
    await applyDatabaseMigrations(knex);
    return new ClosureLedger(knex, () => now);
  };
  const window = { payer: 'control', limit: 2, windowMs: 30 * DAY };

  beforeEach(() => {
    now = new Date('2026-12-01T00:00:00Z');
  });

  it('lets closures in until the window is full, and says when the next slot frees', async () => {
    const ledger = await ledgerOn();
    expect(
      await ledger.reserve(window, { accountId: 'a', regionOu: 'r' }),
    ).toEqual({ ok: true });
    now = new Date(now.getTime() + DAY);
    expect(
      await ledger.reserve(window, { accountId: 'b', regionOu: 'r' }),
    ).toEqual({ ok: true });
    // The third waits for the first to leave the window, 30 days after it.
    expect(
      await ledger.reserve(window, { accountId: 'c', regionOu: 'r' }),
    ).toEqual({
      ok: false,
      nextSlotAt: new Date('2026-12-31T00:00:00Z'),
    });
    expect(await ledger.usage(window)).toEqual({
      used: 2,
      left: 0,
      nextSlotAt: new Date('2026-12-31T00:00:00Z'),
    });
    now = new Date('2026-12-31T00:00:01Z');
    expect(
      await ledger.reserve(window, { accountId: 'c', regionOu: 'r' }),
    ).toEqual({ ok: true });
  });

  it('keeps the first reservation when a closure is reserved again after a crash', async () => {
    const ledger = await ledgerOn();
    await ledger.reserve(window, { accountId: 'a', regionOu: 'r' });
    now = new Date(now.getTime() + 1000);
    // The process died between the reservation and CloseAccount: the retry reserves again.
    expect(
      await ledger.reserve(window, { accountId: 'a', regionOu: 'r' }),
    ).toEqual({ ok: true });
    expect(await ledger.usage(window)).toEqual({ used: 1, left: 1 });
  });

  it('gives the last slot to one of two closures reserved at once, and the other waits', async () => {
    const ledger = await ledgerOn();
    await ledger.reserve(window, { accountId: 'a', regionOu: 'r' });
    const [x, y] = await Promise.all([
      ledger.reserve(window, { accountId: 'x', regionOu: 'r' }),
      ledger.reserve(window, { accountId: 'y', regionOu: 'r' }),
    ]);
    expect([x.ok, y.ok].sort()).toEqual([false, true]);
    expect(await ledger.usage(window)).toMatchObject({ used: 2, left: 0 });
  });

  it('counts no closure of an account the organization no longer has, as in an organization made anew', async () => {
    const ledger = await ledgerOn();
    await ledger.reserve(window, { accountId: 'a', regionOu: 'r' });
    await ledger.reserve(window, { accountId: 'b', regionOu: 'r' });
    const anew = { ...window, accountIds: new Set(['b', 'c']) };
    expect(await ledger.usage(anew)).toEqual({ used: 1, left: 1 });
    expect(
      await ledger.reserve(anew, { accountId: 'c', regionOu: 'r' }),
    ).toEqual({ ok: true });
  });

  it('gives a slot back when AWS refused the closure', async () => {
    const ledger = await ledgerOn();
    await ledger.reserve(window, { accountId: 'a', regionOu: 'r' });
    await ledger.release('control', 'a');
    expect(await ledger.usage(window)).toEqual({ used: 0, left: 2 });
  });
});

describe('the close quota of an organization', () => {
  const decommission = { closeWindowDays: 30 };
  it("is AWS's 10% of member accounts, at least 10 and at most 1000, unless configured", () => {
    // The management account is no member.
    const accounts = (members: number) =>
      new Set(['m', ...Array.from({ length: members }, (_, i) => `${i}`)]);
    expect(closeWindowOf(decommission, 'p', accounts(45), 'm').limit).toBe(10);
    expect(closeWindowOf(decommission, 'p', accounts(450), 'm').limit).toBe(45);
    expect(closeWindowOf(decommission, 'p', accounts(50_000), 'm').limit).toBe(
      1000,
    );
    expect(
      closeWindowOf(
        { ...decommission, closeQuota: 3 },
        'p',
        accounts(450),
        'm',
      ),
    ).toMatchObject({ limit: 3, limitSource: 'config', windowMs: 30 * DAY });
  });
});
