import { parsePolicyDocument, PolicyDocumentError } from './policyDocument';
import {
  evaluateServiceControlPolicies,
  ScpRequest,
} from './serviceControlPolicies';

const policy = (...Statement: object[]) =>
  parsePolicyDocument(JSON.stringify({ Version: '2012-10-17', Statement }));

const allowAll = policy({ Effect: 'Allow', Action: '*', Resource: '*' });
const request = (action: string, role = 'deployer'): ScpRequest => ({
  action,
  principalArn: `arn:aws:iam::300000000001:role/${role}`,
});

describe('evaluateServiceControlPolicies', () => {
  it('needs an Allow at every level, and any matching Deny blocks', () => {
    const onlyS3 = policy({ Effect: 'Allow', Action: 's3:*' });
    expect(
      evaluateServiceControlPolicies(
        [allowAll, onlyS3],
        request('s3:PutObject'),
      ),
    ).toBe('allowed');
    expect(
      evaluateServiceControlPolicies(
        [allowAll, onlyS3],
        request('iam:CreateRole'),
      ),
    ).toBe('no-allow');
    expect(
      evaluateServiceControlPolicies(
        [allowAll, [], allowAll],
        request('iam:CreateRole'),
      ),
    ).toBe('no-allow');
    const denyIam = policy({ Effect: 'Deny', Action: 'IAM:Create*' });
    expect(
      evaluateServiceControlPolicies(
        [[...allowAll, ...denyIam], allowAll],
        request('iam:CreateRole'),
      ),
    ).toBe('explicit-deny');
  });

  it('matches Action and NotAction with * and ? wildcards', () => {
    const denyButReads = policy({
      Effect: 'Deny',
      NotAction: ['iam:Get*', 'iam:List?oles'],
    });
    const levels = [[...allowAll, ...denyButReads]];
    expect(evaluateServiceControlPolicies(levels, request('iam:GetRole'))).toBe(
      'allowed',
    );
    expect(
      evaluateServiceControlPolicies(levels, request('iam:ListRoles')),
    ).toBe('allowed');
    expect(
      evaluateServiceControlPolicies(levels, request('iam:DeleteRole')),
    ).toBe('explicit-deny');
  });

  it('evaluates string and ARN conditions on aws:PrincipalArn, and treats other keys as not matching', () => {
    const denyUnless = (operator: string, value: string) => [
      ...allowAll,
      ...policy({
        Effect: 'Deny',
        Action: 'iam:*',
        Condition: { [operator]: { 'aws:PrincipalArn': value } },
      }),
    ];
    const provisioner = 'arn:aws:iam::300000000001:role/provisioner';
    for (const [operator, value] of [
      ['StringNotEquals', provisioner],
      ['StringNotLike', 'arn:aws:iam::*:role/prov*'],
      ['ArnNotEquals', provisioner],
      ['ArnNotLike', 'arn:aws:iam::*:role/provisioner'],
    ]) {
      const levels = [denyUnless(operator, value)];
      expect(
        evaluateServiceControlPolicies(
          levels,
          request('iam:CreateRole', 'provisioner'),
        ),
      ).toBe('allowed');
      expect(
        evaluateServiceControlPolicies(levels, request('iam:CreateRole')),
      ).toBe('explicit-deny');
    }
    const unevaluated = [
      ...allowAll,
      ...policy({
        Effect: 'Deny',
        Action: '*',
        Condition: { StringEquals: { 'aws:RequestedRegion': 'eu-west-1' } },
      }),
    ];
    expect(
      evaluateServiceControlPolicies([unevaluated], request('iam:CreateRole')),
    ).toBe('allowed');
  });
});

describe('parsePolicyDocument', () => {
  it('names what makes a document no policy', () => {
    const problem = (document: unknown) => {
      try {
        parsePolicyDocument(JSON.stringify(document));
        return undefined;
      } catch (error) {
        return error instanceof PolicyDocumentError
          ? error.message
          : `not a PolicyDocumentError: ${error}`;
      }
    };
    expect(problem({ Statement: [{ Effect: 'Allow' }] })).toContain(
      'Action or NotAction',
    );
    expect(
      problem({ Statement: { Effect: 'Allow', Action: 'not an action' } }),
    ).toContain('not an action');
    expect(
      problem({ Statement: { Effect: 'Allow', Action: '*', Resource: [] } }),
    ).toContain('Statement[0].Resource');
    expect(problem({ Statement: { Effect: 'Allow', Action: '*' } })).toBe(
      undefined,
    );
  });
});
