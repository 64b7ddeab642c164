import { diffLines, diffLineText } from './diffLines';

const texts = (diff: Parameters<typeof diffLines>[0]) =>
  diffLines(diff).map(diffLineText);

describe('diffLines', () => {
  it('writes each desired key that differs as key: desired → observed', () => {
    expect(
      texts({
        expected: { environment: 'prod', owner: 'kirk', region: 'us-east-1' },
        actual: { environment: 'dev', owner: 'kirk', cost: 'x' },
      }),
    ).toEqual(['environment: prod → dev', 'region: us-east-1 → (none)']);
  });

  it('writes every observed key when nothing is desired, such as a stray account', () => {
    expect(texts({ actual: { owner: 'spock' } })).toEqual([
      'owner: (none) → spock',
    ]);
  });

  it('writes a whole value on one line, as JSON unless it is text', () => {
    expect(
      texts({ expected: 'as configured', actual: ['iam:PutRolePolicy'] }),
    ).toEqual(['as configured → ["iam:PutRolePolicy"]']);
    expect(texts({ expected: 'ou-1', actual: undefined })).toEqual([
      'ou-1 → (none)',
    ]);
  });

  it('has nothing to write for a finding without a diff', () => {
    expect(texts(undefined)).toEqual([]);
    expect(texts({})).toEqual([]);
  });
});
