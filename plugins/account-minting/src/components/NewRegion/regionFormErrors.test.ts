import { validateRegionRequest } from '@regional-minting/plugin-account-minting-common';
import { configFixture } from '@regional-minting/plugin-account-minting-common/testUtils';
import { regionFormErrors } from './regionFormErrors';

const config = configFixture();

function errorsOf(request: Parameters<typeof validateRegionRequest>[0]) {
  const validation = validateRegionRequest(request, config);
  return validation.ok ? {} : validation.errors;
}

describe('regionFormErrors', () => {
  it('blames the owner, not the counts, for account names too long', () => {
    const owner = 'a'.repeat(40);
    const request = { environment: 'dev', region: 'us-east-2', owner };

    expect(regionFormErrors(errorsOf(request), request, config)).toEqual({
      fields: {
        owner: `Owner makes the account name "dev-${owner}-us-east-2-mc1" 58 characters long; at most 50`,
      },
      other: [],
    });
  });

  it('blames the owner for a region OU name too long', () => {
    const owner = 'b'.repeat(120);
    const request = { environment: 'dev', region: 'us-east-2', owner };

    const { fields, other } = regionFormErrors(
      errorsOf(request),
      request,
      config,
    );

    expect(fields).toEqual({
      owner: expect.stringMatching(
        /^Owner makes the region OU name "dev-b+"… 134 characters long; at most 128$/,
      ),
    });
    expect(other).toEqual([]);
  });

  it('names the longest name only among the counts asked for', () => {
    // 33 characters of owner: dev-…-us-east-2-rc is 50, dev-…-us-east-2-mc1 is 51.
    const owner = 'c'.repeat(33);
    const request = {
      environment: 'dev',
      region: 'us-east-2',
      owner,
      accountRoles: { 'management-cluster': 0 },
    };

    expect(regionFormErrors(errorsOf(request), request, config)).toEqual({
      fields: {},
      other: [],
    });
  });

  it("keeps the rule of a count out of range beside the count, whatever the owner's length", () => {
    const request = {
      environment: 'dev',
      region: 'us-east-2',
      owner: 'kirk',
      accountRoles: { 'management-cluster': 11 },
    };

    expect(regionFormErrors(errorsOf(request), request, config).fields).toEqual(
      {
        'accountRoles.management-cluster':
          'the count of management-cluster must be a whole number from 0 to 10',
      },
    );
  });

  it("puts the backend's refusals beside their fields, and the others below them", () => {
    const request = { environment: 'prod', region: 'us-east-1' };

    expect(
      regionFormErrors(
        {
          region: 'region us-east-1 of prod is frozen',
          accountRoles: 'payer control has 10 of its 10 accounts',
          regionOu: 'regionOu: the pattern is broken',
        },
        request,
        config,
      ),
    ).toEqual({
      fields: {
        region: 'region us-east-1 of prod is frozen',
        'accountRoles.regional-cluster':
          'payer control has 10 of its 10 accounts',
      },
      other: ['regionOu: the pattern is broken'],
    });
  });
});
