import { PolicyRecord, RoleRecord } from '../../state/model';
import { policySize } from './documents';
import { iamErrors } from './errors';

/** IAM's default quotas that the calls the sandbox serves can run into. */
export const QUOTAS = {
  tagsPerResource: 50,
  versionsPerPolicy: 5,
  managedPoliciesPerRole: 10,
  trustPolicySize: 2048,
  managedPolicySize: 6144,
  /** All of a role's inline policies together. */
  inlinePolicySizePerRole: 10240,
};

/** @throws LimitExceeded when a trust policy is larger than a role's trust policy may be. */
export function checkTrustPolicySize(document: string): void {
  if (policySize(document) > QUOTAS.trustPolicySize) {
    throw iamErrors.limitExceeded(
      `Cannot exceed quota for ACLSizePerRole: ${QUOTAS.trustPolicySize}`,
    );
  }
}

/** @throws LimitExceeded when a managed policy version is larger than IAM allows. */
export function checkManagedPolicySize(document: string): void {
  if (policySize(document) > QUOTAS.managedPolicySize) {
    throw iamErrors.limitExceeded(
      `Cannot exceed quota for PolicySize: ${QUOTAS.managedPolicySize}`,
    );
  }
}

/** @throws LimitExceeded when putting `document` as `policyName` would make the role's inline policies too large. */
export function checkInlinePolicySize(
  role: RoleRecord,
  policyName: string,
  document: string,
): void {
  const others = Object.entries(role.inlinePolicies)
    .filter(([name]) => name !== policyName)
    .reduce((total, [, text]) => total + policySize(text), 0);
  if (others + policySize(document) > QUOTAS.inlinePolicySizePerRole) {
    throw iamErrors.limitExceeded(
      `Maximum policy size of ${QUOTAS.inlinePolicySizePerRole} bytes exceeded for role ${role.name}`,
    );
  }
}

/** @throws LimitExceeded when a role already has as many managed policies as it may. */
export function checkRoomForManagedPolicy(role: RoleRecord): void {
  if (role.attachedPolicyArns.length >= QUOTAS.managedPoliciesPerRole) {
    throw iamErrors.limitExceeded(
      `Cannot exceed quota for PoliciesPerRole: ${QUOTAS.managedPoliciesPerRole}`,
    );
  }
}

/** @throws LimitExceeded when a policy already has as many versions as it may. */
export function checkRoomForVersion(policy: PolicyRecord): void {
  if (policy.versions.length >= QUOTAS.versionsPerPolicy) {
    throw iamErrors.limitExceeded(
      `A managed policy can have up to ${QUOTAS.versionsPerPolicy} versions. Before you create a new version, you must delete an existing version.`,
    );
  }
}
