import { ConfigReader } from '@backstage/config';
import { FieldErrors } from '@regional-minting/plugin-account-minting-common';
import { readMintingConfig } from '../config/mintingConfig';
import { AcceptedAccount } from '../estate/desired';
import { mintingTestConfig } from '../testUtils/mintingBackend';
import { scaleAccounts } from './scaling';

const REGION = 'dev-pete-eu-west-1';

/** The test configuration, its regional cluster required once in every region. */
function config() {
  const data = mintingTestConfig('http://127.0.0.1:1');
  const minting = data.accountMinting as any;
  minting.accountRoles[0].minCount = 1;
  return readMintingConfig(new ConfigReader(data));
}

const account = (role: string, index: number, name: string): AcceptedAccount =>
  ({ role, index, name, email: `aws+${name}@example.com` } as AcceptedAccount);

describe('scaleAccounts', () => {
  const accounts = [
    account('regional-cluster', 0, `${REGION}-rc`),
    account('management-cluster', 0, `${REGION}-mc0`),
    account('management-cluster', 1, `${REGION}-mc1`),
  ];

  it("refuses fewer accounts of a role than its minCount, naming the role's field", () => {
    let refused: unknown;
    try {
      scaleAccounts(
        config(),
        REGION,
        accounts,
        { 'regional-cluster': 0 },
        'me',
      );
    } catch (error) {
      refused = error;
    }
    expect(refused).toBeInstanceOf(FieldErrors);
    expect((refused as FieldErrors).fields).toEqual({
      'accountRoles.regional-cluster':
        'a region needs at least 1 regional-cluster account (its minCount)',
    });
  });

  it('retires the highest indexes of a role scaled down to its minimum', () => {
    const scaled = scaleAccounts(
      config(),
      REGION,
      accounts,
      { 'management-cluster': 0 },
      'me',
    );
    expect(scaled.retired.map(a => a.name)).toEqual([
      `${REGION}-mc1`,
      `${REGION}-mc0`,
    ]);
  });
});
