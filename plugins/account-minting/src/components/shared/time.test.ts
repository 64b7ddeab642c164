import { ago, compactAgo, formatDuration } from './time';

const now = Date.parse('2026-11-28T12:00:00.000Z');
const at = (msBefore: number) => new Date(now - msBefore).toISOString();
const MINUTE = 60_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;

describe('how long ago, in the largest whole unit', () => {
  it.each([
    [0, '0 seconds ago', 'just now'],
    [42_000, '42 seconds ago', 'just now'],
    [MINUTE, '1 minute ago', '1m ago'],
    [5 * MINUTE + 59_000, '5 minutes ago', '5m ago'],
    [3 * HOUR, '3 hours ago', '3h ago'],
    [2 * DAY + HOUR, '2 days ago', '2d ago'],
    [65 * DAY, '2 months ago', '2mo ago'],
    [800 * DAY, '2 years ago', '2y ago'],
  ])(
    '%i ms ago is "%s", or "%s" where a row has little room',
    (ms, said, short) => {
      expect(ago(at(ms), now)).toBe(said);
      expect(compactAgo(at(ms), now)).toBe(short);
    },
  );

  it('says a time ahead as ahead, or just now in a row, as a skewed clock can have it', () => {
    expect(ago(at(-2 * HOUR), now)).toBe('in 2 hours');
    expect(compactAgo(at(-2 * MINUTE), now)).toBe('just now');
  });

  it('says nothing for no time or a broken one', () => {
    expect(ago(undefined, now)).toBeUndefined();
    expect(ago('yesterday', now)).toBeUndefined();
  });
});

describe('formatDuration', () => {
  it('says a duration in its own scale', () => {
    expect(formatDuration(420)).toBe('420ms');
    expect(formatDuration(12_340)).toBe('12.3s');
    expect(formatDuration(125_000)).toBe('2m 05s');
    expect(formatDuration(2 * HOUR + 7 * MINUTE)).toBe('2h 07m');
  });
});
