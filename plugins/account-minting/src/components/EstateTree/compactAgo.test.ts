import { compactAgo } from './compactAgo';

describe('compactAgo', () => {
  const now = Date.parse('2026-11-28T12:00:00.000Z');
  const at = (msBefore: number) => new Date(now - msBefore).toISOString();

  it('says how long ago in the largest whole unit', () => {
    expect(compactAgo(at(30_000), now)).toBe('just now');
    expect(compactAgo(at(5 * 60_000 + 59_000), now)).toBe('5m ago');
    expect(compactAgo(at(3 * 3_600_000), now)).toBe('3h ago');
    expect(compactAgo(at(2 * 86_400_000 + 3_600_000), now)).toBe('2d ago');
    expect(compactAgo(at(65 * 86_400_000), now)).toBe('2mo ago');
    expect(compactAgo(at(800 * 86_400_000), now)).toBe('2y ago');
  });

  it('says just now for a time ahead of the clock, as a skewed one can be', () => {
    expect(compactAgo(at(-120_000), now)).toBe('just now');
  });
});
