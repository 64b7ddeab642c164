import {
  OrganizationPolicyRecord,
  OrganizationRecord,
} from '../../state/model';

/**
 * An organization's policies and their attachments, kept in its record so that a
 * state file holds them. AWS managed policies are not stored: FullAWSAccess is the
 * same in every organization, so it is a constant here.
 */

export const SERVICE_CONTROL_POLICY = 'SERVICE_CONTROL_POLICY';
export const FULL_AWS_ACCESS_ID = 'p-FullAWSAccess';

/** The SCP every organization has, attached by default to every root, OU and account. */
export const FULL_AWS_ACCESS: Readonly<OrganizationPolicyRecord> =
  Object.freeze({
    id: FULL_AWS_ACCESS_ID,
    arn: `arn:aws:organizations::aws:policy/service_control_policy/${FULL_AWS_ACCESS_ID}`,
    name: 'FullAWSAccess',
    description: 'Allows access to every operation',
    type: SERVICE_CONTROL_POLICY,
    content: JSON.stringify({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }],
    }),
    tags: Object.freeze({}) as Record<string, string>,
  });

export function isAwsManaged(policy: OrganizationPolicyRecord): boolean {
  return policy.id === FULL_AWS_ACCESS_ID;
}

/** The ARN of a customer managed policy, as Organizations forms it. */
export function policyArn(
  organization: OrganizationRecord,
  type: string,
  policyId: string,
): string {
  return `arn:aws:organizations::${organization.managementAccountId}:policy/${
    organization.id
  }/${type.toLowerCase()}/${policyId}`;
}

/** Every policy of the organization, AWS managed ones first. */
export function organizationPolicies(
  organization: OrganizationRecord,
): OrganizationPolicyRecord[] {
  return [FULL_AWS_ACCESS, ...(organization.policies ?? [])];
}

export function policyById(
  organization: OrganizationRecord,
  policyId: string,
): OrganizationPolicyRecord | undefined {
  return organizationPolicies(organization).find(p => p.id === policyId);
}

export function addPolicy(
  organization: OrganizationRecord,
  policy: OrganizationPolicyRecord,
): void {
  (organization.policies ??= []).push(policy);
}

export function removePolicy(
  organization: OrganizationRecord,
  policyId: string,
): void {
  organization.policies = (organization.policies ?? []).filter(
    p => p.id !== policyId,
  );
}

export function isPolicyTypeEnabled(
  organization: OrganizationRecord,
  type: string,
): boolean {
  return (organization.enabledPolicyTypes ?? []).includes(type);
}

/** The policies attached to a root, OU or account, of one type when `type` is given. */
export function attachedPolicies(
  organization: OrganizationRecord,
  targetId: string,
  type?: string,
): OrganizationPolicyRecord[] {
  return (organization.policyAttachments ?? [])
    .filter(a => a.targetId === targetId)
    .map(a => policyById(organization, a.policyId))
    .filter(
      (p): p is OrganizationPolicyRecord =>
        p !== undefined && (type === undefined || p.type === type),
    );
}

/** The ids of the roots, OUs and accounts a policy is attached to, in attachment order. */
export function policyTargetIds(
  organization: OrganizationRecord,
  policyId: string,
): string[] {
  return (organization.policyAttachments ?? [])
    .filter(a => a.policyId === policyId)
    .map(a => a.targetId);
}

export function attachPolicy(
  organization: OrganizationRecord,
  policyId: string,
  targetId: string,
): void {
  (organization.policyAttachments ??= []).push({ policyId, targetId });
}

export function detachPolicy(
  organization: OrganizationRecord,
  policyId: string,
  targetId: string,
): void {
  organization.policyAttachments = (
    organization.policyAttachments ?? []
  ).filter(a => a.policyId !== policyId || a.targetId !== targetId);
}

/** Drops every attachment of a root, OU or account that leaves the organization. */
export function detachAllFrom(
  organization: OrganizationRecord,
  targetId: string,
): void {
  organization.policyAttachments = (
    organization.policyAttachments ?? []
  ).filter(a => a.targetId !== targetId);
}

/** Drops every attachment of the policies of one type, as disabling the type does. */
export function detachAllOfType(
  organization: OrganizationRecord,
  type: string,
): void {
  organization.policyAttachments = (
    organization.policyAttachments ?? []
  ).filter(a => policyById(organization, a.policyId)?.type !== type);
}

/**
 * Attaches FullAWSAccess to a new OU or account when SCPs are enabled, as AWS does,
 * so that it inherits its parent's permissions.
 */
export function attachDefaultPolicies(
  organization: OrganizationRecord,
  targetId: string,
): void {
  if (isPolicyTypeEnabled(organization, SERVICE_CONTROL_POLICY)) {
    attachPolicy(organization, FULL_AWS_ACCESS_ID, targetId);
  }
}
