import {
  AuthorizeResult,
  PolicyDecision,
} from '@backstage/plugin-permission-common';
import {
  PermissionPolicy,
  PolicyQuery,
  PolicyQueryUser,
} from '@backstage/plugin-permission-node';
import {
  ACCOUNT_MINTING_ENVIRONMENT_RESOURCE_TYPE,
  accountMintingChangeApprovePermission,
  accountMintingDriftCheckPermission,
  accountMintingReadPermission,
  accountMintingRegionCreatePermission,
  accountMintingRegionDecommissionPermission,
  accountMintingRunCancelPermission,
  accountMintingRunExecutePermission,
} from '@regional-minting/plugin-account-minting-common';
import { AccountMintingPolicyConfig } from './policyConfig';

/** The plugin whose permission integration evaluates conditions on environments. */
const ACCOUNT_MINTING_PLUGIN_ID = 'account-minting';

/** The rule the account-minting backend registers for environments. */
const IS_ENVIRONMENT_RULE = 'IS_ENVIRONMENT';

/** Permissions anyone signed in holds: they read, and change nothing. */
const OPEN_TO_ALL = new Set([
  accountMintingReadPermission.name,
  accountMintingDriftCheckPermission.name,
]);

/** Permissions that change an environment: operators anywhere, anyone in an open environment. */
const OPERATOR_CHANGES = new Set([
  accountMintingRegionCreatePermission.name,
  accountMintingRunExecutePermission.name,
  accountMintingRunCancelPermission.name,
  accountMintingRegionDecommissionPermission.name,
]);

const ALLOW: PolicyDecision = { result: AuthorizeResult.ALLOW };
const DENY: PolicyDecision = { result: AuthorizeResult.DENY };

/**
 * The permission policy of Regional Account Minting.
 *
 * - account-minting.estate.read and account-minting.drift.check: allowed.
 * - account-minting.region.create, .run.execute, .run.cancel, .region.decommission: allowed for the operators group;
 *   for anyone else, allowed only in the open environments (a conditional decision on IS_ENVIRONMENT).
 * - account-minting.change.approve: allowed for the approvers group, denied to anyone else.
 * - Any other account-minting permission: denied, so that a new one is closed until the policy knows it.
 * - Every other plugin's permission: allowed, as the allow-all policy this replaces did.
 *
 * A request without a user (a service's) is decided as for a user in no group.
 *
 * @public
 */
export class AccountMintingPermissionPolicy implements PermissionPolicy {
  constructor(private readonly config: AccountMintingPolicyConfig) {}

  async handle(
    request: PolicyQuery,
    user?: PolicyQueryUser,
  ): Promise<PolicyDecision> {
    const { permission } = request;
    if (!isAccountMintingPermission(permission)) {
      return ALLOW;
    }
    if (OPEN_TO_ALL.has(permission.name)) {
      return ALLOW;
    }
    if (OPERATOR_CHANGES.has(permission.name)) {
      if (isMemberOf(user, this.config.operatorsGroup)) {
        return ALLOW;
      }
      return this.inOpenEnvironments();
    }
    if (permission.name === accountMintingChangeApprovePermission.name) {
      return isMemberOf(user, this.config.approversGroup) ? ALLOW : DENY;
    }
    return DENY;
  }

  /** Allowed where the environment is open; denied outright when none is, as no condition could hold. */
  private inOpenEnvironments(): PolicyDecision {
    if (this.config.openEnvironments.length === 0) {
      return DENY;
    }
    return {
      result: AuthorizeResult.CONDITIONAL,
      pluginId: ACCOUNT_MINTING_PLUGIN_ID,
      resourceType: ACCOUNT_MINTING_ENVIRONMENT_RESOURCE_TYPE,
      conditions: {
        rule: IS_ENVIRONMENT_RULE,
        resourceType: ACCOUNT_MINTING_ENVIRONMENT_RESOURCE_TYPE,
        params: { environments: [...this.config.openEnvironments] },
      },
    };
  }
}

/** Account minting's permissions by name, and any permission on its environments. */
function isAccountMintingPermission(
  permission: PolicyQuery['permission'],
): boolean {
  return (
    permission.name.startsWith('account-minting.') ||
    (permission.type === 'resource' &&
      permission.resourceType === ACCOUNT_MINTING_ENVIRONMENT_RESOURCE_TYPE)
  );
}

/** Group membership from the signed-in user's ownership refs, which hold the groups they are in. */
function isMemberOf(user: PolicyQueryUser | undefined, groupRef: string) {
  // `info` is deprecated upstream but is still what the permission backend fills with the
  // ownership refs it resolved for the request (the user-info service's answer).
  const refs = user?.info?.ownershipEntityRefs ?? [];
  return refs.some(ref => ref.toLocaleLowerCase('en-US') === groupRef);
}
