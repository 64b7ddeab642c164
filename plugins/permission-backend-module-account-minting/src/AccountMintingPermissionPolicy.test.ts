import { mockCredentials } from '@backstage/backend-test-utils';
import {
  AuthorizeResult,
  createPermission,
  Permission,
} from '@backstage/plugin-permission-common';
import { PolicyQueryUser } from '@backstage/plugin-permission-node';
import {
  accountMintingChangeApprovePermission,
  accountMintingDriftCheckPermission,
  accountMintingPermissions,
  accountMintingReadPermission,
  accountMintingRegionCreatePermission,
  accountMintingRegionDecommissionPermission,
  accountMintingRunCancelPermission,
  accountMintingRunExecutePermission,
} from '@regional-minting/plugin-account-minting-common';
import { AccountMintingPermissionPolicy } from './AccountMintingPermissionPolicy';

const OPERATORS = 'group:default/platform-operators';
const APPROVERS = 'group:default/platform-approvers';

const policy = new AccountMintingPermissionPolicy({
  openEnvironments: ['dev', 'sandbox'],
  operatorsGroup: OPERATORS,
  approversGroup: APPROVERS,
});

/** A signed-in user whose ownership refs are themselves and the given groups. */
function userIn(...groups: string[]): PolicyQueryUser {
  const userEntityRef = 'user:default/someone';
  return {
    credentials: mockCredentials.user(userEntityRef),
    info: {
      userEntityRef,
      ownershipEntityRefs: [
        userEntityRef,
        'group:default/platform-sre',
        ...groups,
      ],
    },
  };
}

const decide = (permission: Permission, user?: PolicyQueryUser) =>
  policy.handle({ permission }, user);

const openEnvironmentsOnly = {
  result: AuthorizeResult.CONDITIONAL,
  pluginId: 'account-minting',
  resourceType: 'account-minting-environment',
  conditions: {
    rule: 'IS_ENVIRONMENT',
    resourceType: 'account-minting-environment',
    params: { environments: ['dev', 'sandbox'] },
  },
};

const operatorChanges = [
  accountMintingRegionCreatePermission,
  accountMintingRunExecutePermission,
  accountMintingRunCancelPermission,
  accountMintingRegionDecommissionPermission,
];

const people: Array<[string, PolicyQueryUser | undefined]> = [
  ['a user in no group of the policy', userIn()],
  ['an operator', userIn(OPERATORS)],
  ['an approver', userIn(APPROVERS)],
  ['a request without a user (a service)', undefined],
];

describe('AccountMintingPermissionPolicy', () => {
  it('decides every permission account minting defines', async () => {
    // A permission added to the plugin without a rule here would be denied to everyone.
    const covered = [
      accountMintingReadPermission,
      accountMintingDriftCheckPermission,
      ...operatorChanges,
      accountMintingChangeApprovePermission,
    ].map(p => p.name);
    expect(accountMintingPermissions.map(p => p.name).sort()).toEqual(
      covered.sort(),
    );
  });

  describe.each(people)('for %s', (_who, user) => {
    it('allows reading the estate and running drift checks', async () => {
      await expect(decide(accountMintingReadPermission, user)).resolves.toEqual(
        { result: AuthorizeResult.ALLOW },
      );
      await expect(
        decide(accountMintingDriftCheckPermission, user),
      ).resolves.toEqual({ result: AuthorizeResult.ALLOW });
    });

    it("allows the rest of the portal's permissions", async () => {
      const catalogRead = createPermission({
        name: 'catalog.entity.read',
        attributes: { action: 'read' },
        resourceType: 'catalog-entity',
      });
      const templateRun = createPermission({
        name: 'scaffolder.task.create',
        attributes: { action: 'create' },
      });
      await expect(decide(catalogRead, user)).resolves.toEqual({
        result: AuthorizeResult.ALLOW,
      });
      await expect(decide(templateRun, user)).resolves.toEqual({
        result: AuthorizeResult.ALLOW,
      });
    });

    it('denies an account-minting permission the policy does not know', async () => {
      const unknown = createPermission({
        name: 'account-minting.estate.delete',
        attributes: { action: 'delete' },
      });
      await expect(decide(unknown, user)).resolves.toEqual({
        result: AuthorizeResult.DENY,
      });
    });
  });

  it.each(operatorChanges.map(p => [p.name, p]))(
    'allows %s to operators in every environment',
    async (_name, permission) => {
      await expect(decide(permission, userIn(OPERATORS))).resolves.toEqual({
        result: AuthorizeResult.ALLOW,
      });
    },
  );

  it.each(operatorChanges.map(p => [p.name, p]))(
    'allows %s to anyone else only in the open environments',
    async (_name, permission) => {
      await expect(decide(permission, userIn())).resolves.toEqual(
        openEnvironmentsOnly,
      );
      await expect(decide(permission, userIn(APPROVERS))).resolves.toEqual(
        openEnvironmentsOnly,
      );
      await expect(decide(permission, undefined)).resolves.toEqual(
        openEnvironmentsOnly,
      );
    },
  );

  it('recognizes the operators group however its ref is cased', async () => {
    const user = userIn('Group:Default/Platform-Operators');
    await expect(
      decide(accountMintingRegionCreatePermission, user),
    ).resolves.toEqual({ result: AuthorizeResult.ALLOW });
  });

  it('denies the operator changes outright to non-operators when no environment is open', async () => {
    const closed = new AccountMintingPermissionPolicy({
      openEnvironments: [],
      operatorsGroup: OPERATORS,
      approversGroup: APPROVERS,
    });
    for (const permission of operatorChanges) {
      await expect(closed.handle({ permission }, userIn())).resolves.toEqual({
        result: AuthorizeResult.DENY,
      });
      await expect(
        closed.handle({ permission }, userIn(OPERATORS)),
      ).resolves.toEqual({ result: AuthorizeResult.ALLOW });
    }
  });

  it('allows approving changes to approvers only', async () => {
    const approve = accountMintingChangeApprovePermission;
    await expect(decide(approve, userIn(APPROVERS))).resolves.toEqual({
      result: AuthorizeResult.ALLOW,
    });
    await expect(
      decide(approve, userIn(APPROVERS, OPERATORS)),
    ).resolves.toEqual({ result: AuthorizeResult.ALLOW });
    // Operating is not approving: an operator outside the approvers group may not approve.
    await expect(decide(approve, userIn(OPERATORS))).resolves.toEqual({
      result: AuthorizeResult.DENY,
    });
    await expect(decide(approve, userIn())).resolves.toEqual({
      result: AuthorizeResult.DENY,
    });
    await expect(decide(approve, undefined)).resolves.toEqual({
      result: AuthorizeResult.DENY,
    });
  });
});
