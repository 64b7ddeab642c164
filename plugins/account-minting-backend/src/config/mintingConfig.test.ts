import { ConfigReader } from '@backstage/config';
import { JsonObject } from '@backstage/types';
import { mintingTestConfig } from '../testUtils/mintingBackend';
import { readMintingConfig } from './mintingConfig';

function configWith(change: (accountMinting: JsonObject) => void) {
  const data = mintingTestConfig('http://127.0.0.1:9');
  change(data.accountMinting as JsonObject);
  return new ConfigReader(data);
}

describe('readMintingConfig', () => {
  it('reports prod environments as reporting drift and the others as repairing it, unless set', () => {
    const config = readMintingConfig(
      configWith(minting => {
        (minting.environments as JsonObject[])[2].drift = 'report';
      }),
    );
    expect(config.environments.map(e => [e.name, e.drift])).toEqual([
      ['prod', 'report'],
      ['stage', 'repair'],
      ['dev', 'report'],
    ]);
  });

  it('names region steps declared twice, and region steps without a state bucket', () => {
    const step = {
      name: 'maestro',
      provisioner: 'command',
      options: { command: 'true' },
    };
    expect(() =>
      readMintingConfig(
        configWith(minting => {
          minting.regionSteps = [step, step];
        }),
      ),
    ).toThrow(
      /accountMinting\.regionSteps\.1: maestro is declared twice[\s\S]*accountMinting\.provision: needed by regionSteps/,
    );
  });

  it("gives forms each role's minCount, and refuses a count below it", () => {
    const roles = (minting: JsonObject) => minting.accountRoles as JsonObject[];
    expect(
      readMintingConfig(
        configWith(minting => {
          roles(minting)[0].minCount = 1;
        }),
      ).accountRoles.map(role => [role.name, role.minCount]),
    ).toEqual([
      ['regional-cluster', 1],
      ['management-cluster', 0],
    ]);
    expect(() =>
      readMintingConfig(
        configWith(minting => {
          roles(minting)[0].minCount = 2;
        }),
      ),
    ).toThrow(
      'accountMinting.accountRoles.0.count: 1 is less than its minCount 2',
    );
  });

  it('refuses a drift policy it does not know, naming it', () => {
    expect(() =>
      readMintingConfig(
        configWith(minting => {
          (minting.environments as JsonObject[])[0].drift = 'ignore';
        }),
      ),
    ).toThrow(/environments\.0\.drift/);
  });

  it('names every key that breaks a rule, with the rule, including the keys of records', () => {
    const read = () =>
      readMintingConfig(
        configWith(minting => {
          (minting.payers as JsonObject[])[0].accountId = 12;
          minting.tags = { '': 'empty' };
          minting.engine = { concurrency: 0 };
        }),
      );
    expect(read).toThrow(
      /accountMinting\.payers\.0\.accountId: .*expected string, received number/,
    );
    expect(read).toThrow('accountMinting.tags.: tag keys must not be empty');
    expect(read).toThrow(
      /accountMinting\.engine\.concurrency: .*expected number to be >=1/,
    );
  });
});
