import {
  accountName,
  NameTooLongError,
  regionOuName,
  validateRegionOuPattern,
} from './naming';

describe('regionOuName', () => {
  it('names a region OU from its environment and region', () => {
    expect(
      regionOuName('{environment}-{region}', {
        environment: 'prod',
        region: 'us-east-1',
      }),
    ).toBe('prod-us-east-1');
  });

  it('puts the owner of a personal dev region in its name', () => {
    expect(
      regionOuName('{environment}-{owner}-{region}', {
        environment: 'dev',
        owner: 'kirk',
        region: 'us-east-2',
      }),
    ).toBe('dev-kirk-us-east-2');
  });

  it('asks for an owner when the pattern needs one', () => {
    expect(() =>
      regionOuName('{environment}-{owner}-{region}', {
        environment: 'dev',
        region: 'us-east-2',
      }),
    ).toThrow(/^owner: must be lower-case letters/);
  });

  it('refuses an owner the pattern has no place for', () => {
    expect(() =>
      regionOuName('{environment}-{region}', {
        environment: 'prod',
        region: 'us-east-1',
        owner: 'kirk',
      }),
    ).toThrow("owner: the prod environment's region names have no owner");
  });

  it('refuses something that is not a region code', () => {
    expect(() =>
      regionOuName('{environment}-{region}', {
        environment: 'prod',
        region: 'US East',
      }),
    ).toThrow(
      'region: must be an AWS region code such as us-east-1 (got "US East")',
    );
  });

  it('refuses names AWS would refuse', () => {
    expect(() =>
      regionOuName('{environment}-{owner}-{region}', {
        environment: 'dev',
        owner: 'x'.repeat(130),
        region: 'us-east-2',
      }),
    ).toThrow(/longer than the 128 characters AWS allows in an OU name/);
  });
});

describe('validateRegionOuPattern', () => {
  it('names an unknown placeholder', () => {
    expect(() =>
      validateRegionOuPattern('{environment}-{zone}-{region}'),
    ).toThrow('regionOu: unknown placeholder {zone}');
  });

  it('needs the region in every pattern, or names would collide', () => {
    expect(() => validateRegionOuPattern('{environment}-{owner}')).toThrow(
      'regionOu: the pattern must contain {region}',
    );
  });
});

describe('accountName', () => {
  it('numbers the accounts of a role with several', () => {
    const mc = { suffix: 'mc', count: 2 };
    expect([0, 1].map(i => accountName('prod-us-east-1', mc, i))).toEqual([
      'prod-us-east-1-mc0',
      'prod-us-east-1-mc1',
    ]);
  });

  it('leaves the index off a role with one account', () => {
    expect(accountName('prod-us-east-1', { suffix: 'rc', count: 1 }, 0)).toBe(
      'prod-us-east-1-rc',
    );
  });

  it('refuses an index past the role count', () => {
    expect(() =>
      accountName('prod-us-east-1', { suffix: 'mc', count: 2 }, 2),
    ).toThrow('index: must be a whole number from 0 to 1 (got 2)');
  });

  it('refuses names longer than the 50 characters of an AWS account name', () => {
    expect(() =>
      accountName(
        `dev-${'a'.repeat(40)}-us-east-2`,
        { suffix: 'rc', count: 1 },
        0,
      ),
    ).toThrow(/longer than the 50 characters AWS allows/);
  });

  it('keeps the name too long and the limit, for a form to say which field made it so', () => {
    const regionOu = `dev-${'a'.repeat(40)}-us-east-2`;
    expect(() => accountName(regionOu, { suffix: 'rc', count: 1 }, 0)).toThrow(
      expect.objectContaining({
        constructor: NameTooLongError,
        field: 'accountName',
        value: `${regionOu}-rc`,
        max: 50,
      }),
    );
  });
});
