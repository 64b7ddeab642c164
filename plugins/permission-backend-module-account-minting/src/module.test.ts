import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { PermissionPolicy } from '@backstage/plugin-permission-node';
import { policyExtensionPoint } from '@backstage/plugin-permission-node/alpha';
import { accountMintingRegionCreatePermission } from '@regional-minting/plugin-account-minting-common';
import { permissionModuleAccountMintingPolicy } from './module';

// The tests start a backend: generous, so that a loaded machine is slow, never failing.
jest.setTimeout(60_000);

const startWith = async (data: object) => {
  const setPolicy = jest.fn<void, [PermissionPolicy]>();
  await startTestBackend({
    extensionPoints: [[policyExtensionPoint, { setPolicy }]],
    features: [
      permissionModuleAccountMintingPolicy,
      mockServices.rootConfig.factory({ data: data as any }),
    ],
  });
  return setPolicy;
};

describe('permissionModuleAccountMintingPolicy', () => {
  it('installs the policy its configuration describes', async () => {
    const setPolicy = await startWith({
      accountMinting: {
        permissionPolicy: {
          openEnvironments: ['dev'],
          operatorsGroup: 'group:default/platform-operators',
          approversGroup: 'group:default/platform-approvers',
        },
      },
    });

    expect(setPolicy).toHaveBeenCalledTimes(1);
    const policy = setPolicy.mock.calls[0][0];
    await expect(
      policy.handle({ permission: accountMintingRegionCreatePermission }),
    ).resolves.toMatchObject({
      result: AuthorizeResult.CONDITIONAL,
      conditions: { params: { environments: ['dev'] } },
    });
  });

  it('stops the backend at start on bad configuration, naming the key', async () => {
    await expect(
      startWith({
        accountMinting: {
          permissionPolicy: {
            openEnvironments: ['dev'],
            operatorsGroup: 'platform-operators',
            approversGroup: 'group:default/platform-approvers',
          },
        },
      }),
    ).rejects.toThrow(/accountMinting\.permissionPolicy\.operatorsGroup/);
  });

  it('stops the backend at start without its configuration', async () => {
    await expect(startWith({})).rejects.toThrow(
      /accountMinting\.permissionPolicy: missing/,
    );
  });
});
