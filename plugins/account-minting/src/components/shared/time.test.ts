import { ago, formatDuration } from './time';

describe('ago', () => {
  const now = Date.parse('2026-11-28T12:00:00.000Z');
  const at = (msBefore: number) => new Date(now - msBefore).toISOString();

  it('says when in the largest whole unit, as people say it', () => {
    expect(ago(at(0), now)).toBe('0 seconds ago');
    expect(ago(at(42_000), now)).toBe('42 seconds ago');
    expect(ago(at(60_000), now)).toBe('1 minute ago');
    expect(ago(at(3 * 60_000 + 59_000), now)).toBe('3 minutes ago');
    expect(ago(at(5 * 3_600_000), now)).toBe('5 hours ago');
    expect(ago(at(2 * 86_400_000 + 3_600_000), now)).toBe('2 days ago');
    expect(ago(at(65 * 86_400_000), now)).toBe('2 months ago');
    expect(ago(at(800 * 86_400_000), now)).toBe('2 years ago');
  });

  it('says a time ahead as ahead, and nothing for no time or a broken one', () => {
    expect(ago(at(-2 * 3_600_000), now)).toBe('in 2 hours');
    expect(ago(undefined, now)).toBeUndefined();
    expect(ago('yesterday', now)).toBeUndefined();
  });
});

describe('formatDuration', () => {
  it('says a duration in its own scale', () => {
    expect(formatDuration(420)).toBe('420ms');
    expect(formatDuration(12_340)).toBe('12.3s');
    expect(formatDuration(125_000)).toBe('2m 05s');
    expect(formatDuration(2 * 3_600_000 + 7 * 60_000)).toBe('2h 07m');
  });
});
