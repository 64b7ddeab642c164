import { MintingConfigView } from './config';
import { parseRegionRequest, validateRegionRequest } from './regionRequest';

const config: MintingConfigView = {
  platformOu: 'rosa-regional-platform',
  payers: [
    { name: 'control', accountId: '200000000001' },
    { name: 'staging-2', accountId: '400000000001' },
  ],
  environments: [
    {
      name: 'prod',
      payer: 'control',
      regionOu: '{environment}-{region}',
      regions: ['us-east-1', 'eu-west-2'],
      needsOwner: false,
    },
    {
      name: 'dev',
      payer: 'staging-2',
      regionOu: '{environment}-{owner}-{region}',
      regions: ['us-east-2'],
      needsOwner: true,
    },
  ],
  accountRoles: [
    { name: 'regional-cluster', suffix: 'rc', count: 1, maxCount: 1 },
    { name: 'management-cluster', suffix: 'mc', count: 2, maxCount: 10 },
  ],
};

describe('validateRegionRequest', () => {
  it('works out the region OU, the payer and every account name', () => {
    expect(
      validateRegionRequest(
        { environment: 'dev', region: 'us-east-2', owner: 'kirk' },
        config,
      ),
    ).toEqual({
      ok: true,
      value: {
        environment: 'dev',
        region: 'us-east-2',
        owner: 'kirk',
        payer: 'staging-2',
        regionOu: 'dev-kirk-us-east-2',
        accountCounts: { 'regional-cluster': 1, 'management-cluster': 2 },
        accountNames: [
          { role: 'regional-cluster', index: 0, name: 'dev-kirk-us-east-2-rc' },
          {
            role: 'management-cluster',
            index: 0,
            name: 'dev-kirk-us-east-2-mc0',
          },
          {
            role: 'management-cluster',
            index: 1,
            name: 'dev-kirk-us-east-2-mc1',
          },
        ],
      },
    });
  });

  it('takes other counts per role within their bounds', () => {
    const result = parseRegionRequest(
      {
        environment: 'prod',
        region: 'us-east-1',
        accountRoles: { 'management-cluster': 3 },
      },
      config,
    );
    expect(result.accountNames.map(a => a.name)).toEqual([
      'prod-us-east-1-rc',
      'prod-us-east-1-mc0',
      'prod-us-east-1-mc1',
      'prod-us-east-1-mc2',
    ]);
  });

  it('reports each bad field against that field', () => {
    expect(
      validateRegionRequest({ environment: 'qa', region: 'mars-1' }, config),
    ).toEqual({
      ok: false,
      errors: { environment: 'unknown environment "qa"; one of prod, dev' },
    });
    expect(
      validateRegionRequest(
        { environment: 'prod', region: 'ap-south-1' },
        config,
      ),
    ).toEqual({
      ok: false,
      errors: {
        region:
          'region ap-south-1 is not allowed in prod; allowed: us-east-1, eu-west-2',
      },
    });
    expect(
      validateRegionRequest(
        { environment: 'dev', region: 'us-east-2' },
        config,
      ),
    ).toEqual({
      ok: false,
      errors: {
        owner: 'owner is required in dev, whose region names carry their owner',
      },
    });
    expect(
      validateRegionRequest(
        { environment: 'dev', region: 'us-east-2', owner: 'Kirk!' },
        config,
      ),
    ).toEqual({
      ok: false,
      errors: {
        owner:
          'owner must be lower-case letters, digits and single hyphens (got "Kirk!")',
      },
    });
    expect(
      validateRegionRequest(
        { environment: 'prod', region: 'us-east-1', owner: 'kirk' },
        config,
      ),
    ).toMatchObject({
      ok: false,
      errors: { owner: expect.stringContaining('have no owner') },
    });
    expect(
      validateRegionRequest(
        {
          environment: 'prod',
          region: 'us-east-1',
          accountRoles: { 'management-cluster': 11, logging: 1 },
        },
        config,
      ),
    ).toEqual({
      ok: false,
      errors: {
        'accountRoles.logging':
          'unknown account role logging; one of regional-cluster, management-cluster',
        'accountRoles.management-cluster':
          'the count of management-cluster must be a whole number from 0 to 10',
      },
    });
    expect(validateRegionRequest({ environment: 42 }, config)).toMatchObject({
      ok: false,
      errors: {
        environment: 'environment must be a string',
        region: 'region is required',
      },
    });
  });

  it('refuses fewer accounts of a role than its configured minCount', () => {
    const withMinimum = {
      ...config,
      accountRoles: config.accountRoles.map(role =>
        role.name === 'regional-cluster' ? { ...role, minCount: 1 } : role,
      ),
    };
    expect(
      validateRegionRequest(
        {
          environment: 'prod',
          region: 'us-east-1',
          accountRoles: { 'regional-cluster': 0, 'management-cluster': 0 },
        },
        withMinimum,
      ),
    ).toEqual({
      ok: false,
      errors: {
        'accountRoles.regional-cluster':
          'a region needs at least 1 regional-cluster account (its minCount)',
      },
    });
  });

  it('refuses a region whose account names would break the AWS limit', () => {
    const result = validateRegionRequest(
      {
        environment: 'dev',
        region: 'us-east-2',
        owner: 'a-very-long-owner-name-that-goes-on',
      },
      config,
    );
    expect(result).toMatchObject({
      ok: false,
      errors: {
        'accountRoles.regional-cluster': expect.stringContaining(
          'longer than the 50 characters',
        ),
      },
    });
  });

  it('throws one InputError naming every field for API callers', () => {
    expect(() => parseRegionRequest({}, config)).toThrow(
      'environment is required; one of prod, dev; region is required',
    );
  });
});
