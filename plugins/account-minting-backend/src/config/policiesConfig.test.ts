import { ConfigReader } from '@backstage/config';
import { JsonObject } from '@backstage/types';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { mintingTestConfig } from '../testUtils/mintingBackend';
import { readMintingConfig } from './mintingConfig';

const denyLeaving = {
  Version: '2012-10-17',
  Statement: [
    {
      Effect: 'Deny',
      Action: 'organizations:LeaveOrganization',
      Resource: '*',
    },
  ],
};

function readWithPolicies(policies: unknown[]) {
  const data = mintingTestConfig('http://127.0.0.1:9');
  (data.accountMinting as JsonObject).policies = policies as JsonObject[];
  return readMintingConfig(new ConfigReader(data));
}

const policy = (name: string, extra: object = {}) => ({
  name,
  document: denyLeaving,
  targets: ['platform'],
  ...extra,
});

describe('accountMinting.policies', () => {
  it('reads documents inline or from a JSON file relative to the working directory, minified', () => {
    const dir = mkdtempSync(join(tmpdir(), 'scp-'));
    const file = join(dir, 'deny-leaving.json');
    writeFileSync(file, JSON.stringify(denyLeaving, null, 2));
    const config = readWithPolicies([
      policy('inline', { description: 'no leaving' }),
      policy('from-file', {
        document: relative(process.cwd(), file),
        targets: [{ environment: 'dev' }, { regionOusOf: 'prod' }],
      }),
    ]);
    expect(config.policies).toEqual([
      {
        name: 'inline',
        description: 'no leaving',
        content: JSON.stringify(denyLeaving),
        targets: ['platform'],
      },
      {
        name: 'from-file',
        description: '',
        content: JSON.stringify(denyLeaving),
        targets: [{ environment: 'dev' }, { regionOusOf: 'prod' }],
      },
    ]);
  });

  it('refuses a file that is missing or not JSON, naming the key', () => {
    const dir = mkdtempSync(join(tmpdir(), 'scp-'));
    const file = join(dir, 'broken.json');
    writeFileSync(file, '{ "Statement": ');
    expect(() =>
      readWithPolicies([policy('broken', { document: file })]),
    ).toThrow(
      /accountMinting\.policies\.0\.document: .*broken\.json is not valid JSON/,
    );
    expect(() =>
      readWithPolicies([
        policy('missing', { document: join(dir, 'nope.json') }),
      ]),
    ).toThrow(
      /accountMinting\.policies\.0\.document: cannot read .*nope\.json/,
    );
  });

  it('refuses a document that is no IAM policy document, saying why', () => {
    const read = () =>
      readWithPolicies([
        policy('no-statement', { document: { Version: '2012-10-17' } }),
        policy('bad-statement', {
          document: {
            Statement: [
              {
                Effect: 'Maybe',
                Principal: '*',
                Action: 's3:*',
                NotAction: 'iam:*',
              },
            ],
          },
        }),
      ]);
    expect(read).toThrow(
      'accountMinting.policies.0.document: not an IAM policy document: needs a Statement',
    );
    expect(read).toThrow(
      'accountMinting.policies.1.document: not an IAM policy document: Statement.0: Principal cannot be in an SCP statement',
    );
    expect(read).toThrow(
      'accountMinting.policies.1.document: not an IAM policy document: Statement.0.Effect must be Allow or Deny',
    );
    expect(read).toThrow(
      'accountMinting.policies.1.document: not an IAM policy document: Statement.0: give Action or NotAction',
    );
  });

  it('refuses a document over the 5,120 characters AWS counts once minified', () => {
    const actions = Array.from({ length: 400 }, (_, i) => `s3:Action${i}`);
    expect(() =>
      readWithPolicies([
        policy('too-big', {
          document: {
            Statement: [{ Effect: 'Deny', Action: actions, Resource: '*' }],
          },
        }),
      ]),
    ).toThrow(
      /accountMinting\.policies\.0\.document: \d+ characters minified, more than the 5120 AWS allows/,
    );
    // Spacing does not count: a document that fits minified is accepted however it is written.
    const fits = Array.from({ length: 250 }, (_, i) => `s3:Action${i}`);
    expect(
      readWithPolicies([
        policy('fits', {
          document: {
            Statement: [{ Effect: 'Deny', Action: fits, Resource: '*' }],
          },
        }),
      ]).policies[0].content.length,
    ).toBeLessThanOrEqual(5120);
  });

  it('refuses more than 4 declared policies on one target, since FullAWSAccess makes the fifth', () => {
    const onDev = (name: string) =>
      policy(name, { targets: [{ regionOusOf: 'dev' }] });
    expect(
      readWithPolicies(['a', 'b', 'c', 'd'].map(onDev)).policies,
    ).toHaveLength(4);
    expect(() =>
      readWithPolicies([...['a', 'b', 'c', 'd', 'e'].map(onDev), policy('f')]),
    ).toThrow(
      'accountMinting.policies.4.targets.0: 5 policies on each region OU of dev (a, b, c, d, e) and FullAWSAccess are more than the 5 SCPs AWS allows on one target',
    );
  });

  it('refuses an unknown environment and a name declared twice', () => {
    const read = () =>
      readWithPolicies([
        policy('twice'),
        policy('twice', { targets: [{ environment: 'qa' }] }),
      ]);
    expect(read).toThrow('accountMinting.policies.1: twice is declared twice');
    expect(read).toThrow(
      'accountMinting.policies.1.targets.0: unknown environment qa; one of prod, stage, dev',
    );
  });

  it('refuses a target that is none of platform, environment or regionOusOf', () => {
    expect(() =>
      readWithPolicies([policy('odd', { targets: [{ account: 'x' }] })]),
    ).toThrow(/accountMinting\.policies\.0\.targets\.0/);
  });
});
