import { ConfigReader } from '@backstage/config';
import { readPolicyConfig } from './policyConfig';

const read = (permissionPolicy: unknown) =>
  readPolicyConfig(
    new ConfigReader({ accountMinting: { permissionPolicy } } as any),
  );

describe('readPolicyConfig', () => {
  it('reads the open environments and both groups', () => {
    expect(
      read({
        openEnvironments: ['dev'],
        operatorsGroup: 'group:default/platform-operators',
        approversGroup: 'group:default/platform-approvers',
      }),
    ).toEqual({
      openEnvironments: ['dev'],
      operatorsGroup: 'group:default/platform-operators',
      approversGroup: 'group:default/platform-approvers',
    });
  });

  it('opens no environment unless told, and writes group refs as ownership refs are', () => {
    expect(
      read({
        operatorsGroup: 'Group:Platform-Operators',
        approversGroup: 'group:ops/approvers',
      }),
    ).toEqual({
      openEnvironments: [],
      operatorsGroup: 'group:default/platform-operators',
      approversGroup: 'group:ops/approvers',
    });
  });

  it('names the missing section', () => {
    expect(() => readPolicyConfig(new ConfigReader({}))).toThrow(
      /^accountMinting\.permissionPolicy: missing/,
    );
  });

  it('names each key that breaks a rule, all at once', () => {
    let message = '';
    try {
      read({
        openEnvironments: ['dev', 7, ''],
        operatorsGroup: 'user:default/guest',
        approversGroup: 42,
        operatorGroup: 'group:default/typo',
      });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(
      message
        .split('\n')
        .slice(1)
        .map(line => line.trim()),
    ).toEqual([
      'accountMinting.permissionPolicy.operatorGroup: unknown key; expected one of openEnvironments, operatorsGroup, approversGroup',
      'accountMinting.permissionPolicy.openEnvironments.1: must be an environment name, such as dev',
      'accountMinting.permissionPolicy.openEnvironments.2: must be an environment name, such as dev',
      'accountMinting.permissionPolicy.operatorsGroup: must be a group entity ref such as group:default/platform-operators, got user:default/guest',
      'accountMinting.permissionPolicy.approversGroup: must be a group entity ref such as group:default/platform-approvers',
    ]);
  });

  it('names a missing group and a list that is not one', () => {
    expect(() =>
      read({
        openEnvironments: 'dev',
        operatorsGroup: 'group:default/platform-operators',
      }),
    ).toThrow(
      [
        'Invalid account-minting permission policy configuration:',
        '  accountMinting.permissionPolicy.openEnvironments: must be a list of environment names, such as [dev]',
        '  accountMinting.permissionPolicy.approversGroup: missing; a group entity ref such as group:default/platform-approvers',
      ].join('\n'),
    );
  });

  it('rejects a group ref without a kind', () => {
    expect(() =>
      read({
        operatorsGroup: 'platform-operators',
        approversGroup: 'group:default/platform-approvers',
      }),
    ).toThrow(
      'accountMinting.permissionPolicy.operatorsGroup: must be a group entity ref such as group:default/platform-operators, got platform-operators',
    );
  });
});
