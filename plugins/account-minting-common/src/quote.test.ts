import { clip, quote } from './quote';

describe('quote', () => {
  it('quotes a short string as JSON', () => {
    expect(quote('qa')).toBe('"qa"');
    expect(quote('a\u0000b')).toBe('"a\\u0000b"');
  });

  it('quotes at most 100 characters of a long string, then …', () => {
    const quoted = quote('x'.repeat(1_000_000));
    expect(quoted).toBe(`"${'x'.repeat(100)}"…`);
  });

  it('never cuts a character in two', () => {
    expect(quote('😀'.repeat(150))).toBe(`"${'😀'.repeat(100)}"…`);
  });

  it('shows what is not a string as JSON, clipped', () => {
    expect(quote(42)).toBe('42');
    expect(quote(['a'])).toBe('["a"]');
    expect(quote(undefined)).toBe('undefined');
    expect(quote(Array(1000).fill(1))).toHaveLength(101);
  });
});

describe('clip', () => {
  it('leaves a short text alone and cuts a long one', () => {
    expect(clip('us-east-1')).toBe('us-east-1');
    expect(clip('y'.repeat(101))).toBe(`${'y'.repeat(100)}…`);
  });
});
