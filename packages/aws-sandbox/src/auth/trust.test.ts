import { PrincipalRecord } from '../state/model';
import { trustAllows } from './trust';

const pipelineRole: PrincipalRecord = {
  type: 'assumed-role',
  accountId: '100000000001',
  arn: 'arn:aws:sts::100000000001:assumed-role/minting-pipeline/run-1',
  userId: 'AROAEXAMPLE:run-1',
  roleArn: 'arn:aws:iam::100000000001:role/minting-pipeline',
  sessionName: 'run-1',
};

const policy = (...statements: Record<string, unknown>[]) =>
  JSON.stringify({ Version: '2012-10-17', Statement: statements });

const allow = (extra: Record<string, unknown> = {}) => ({
  Effect: 'Allow',
  Action: 'sts:AssumeRole',
  Principal: { AWS: 'arn:aws:iam::100000000001:role/minting-pipeline' },
  ...extra,
});

describe('trustAllows', () => {
  it('trusts a role ARN, its account, and its account root', () => {
    for (const principal of [
      'arn:aws:iam::100000000001:role/minting-pipeline',
      'arn:aws:iam::100000000001:root',
      '100000000001',
      ['arn:aws:iam::999999999999:root', '100000000001'],
    ]) {
      expect(
        trustAllows(policy(allow({ Principal: { AWS: principal } })), {
          caller: pipelineRole,
        }),
      ).toBe(true);
    }
    expect(
      trustAllows(
        policy(
          allow({ Principal: { AWS: 'arn:aws:iam::100000000001:role/other' } }),
        ),
        {
          caller: pipelineRole,
        },
      ),
    ).toBe(false);
  });

  it('applies sts:ExternalId and organization path conditions', () => {
    const trust = policy(
      allow({
        Condition: {
          StringEquals: { 'sts:ExternalId': 'ext-1' },
          'ForAnyValue:StringLike': {
            'aws:PrincipalOrgPaths': ['o-abc/r-ab12/ou-ab12-11111111/*'],
          },
        },
      }),
    );
    const inside = 'o-abc/r-ab12/ou-ab12-11111111/ou-ab12-22222222/';
    expect(
      trustAllows(trust, {
        caller: pipelineRole,
        externalId: 'ext-1',
        callerOrgPath: inside,
      }),
    ).toBe(true);
    expect(
      trustAllows(trust, {
        caller: pipelineRole,
        externalId: 'ext-2',
        callerOrgPath: inside,
      }),
    ).toBe(false);
    expect(
      trustAllows(trust, {
        caller: pipelineRole,
        externalId: 'ext-1',
        callerOrgPath: 'o-abc/r-ab12/',
      }),
    ).toBe(false);
    expect(
      trustAllows(trust, { caller: pipelineRole, externalId: 'ext-1' }),
    ).toBe(false);
  });

  it('lets a Deny win over an Allow', () => {
    const trust = policy(allow(), {
      Effect: 'Deny',
      Action: 'sts:*',
      Principal: '*',
      Condition: {
        StringNotEquals: { 'aws:PrincipalAccount': '200000000001' },
      },
    });
    expect(trustAllows(trust, { caller: pipelineRole })).toBe(false);
  });

  it('denies on conditions it cannot evaluate, and on documents that are not policies', () => {
    const unknownOperator = policy(
      allow({
        Condition: { DateLessThan: { 'aws:CurrentTime': '2030-01-01' } },
      }),
    );
    expect(trustAllows(unknownOperator, { caller: pipelineRole })).toBe(false);
    expect(trustAllows('not json', { caller: pipelineRole })).toBe(false);
    expect(
      trustAllows(policy(allow({ Action: 's3:GetObject' })), {
        caller: pipelineRole,
      }),
    ).toBe(false);
  });
});
