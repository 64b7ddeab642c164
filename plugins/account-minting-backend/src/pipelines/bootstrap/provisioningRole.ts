import { MintingConfig } from '../../config/mintingConfig';

/** The provisioning role an account should have, exactly. */
export interface DesiredRole {
  name: string;
  path: string;
  trustPolicy: Record<string, unknown>;
  permissionsBoundaryArn?: string;
  managedPolicyArns: string[];
  inlinePolicies: Record<string, Record<string, unknown>>;
  maxSessionDuration: number;
}

/** The role as IAM has it, with its documents decoded. */
export interface ObservedRole {
  trustPolicy: unknown;
  permissionsBoundaryArn?: string;
  managedPolicyArns: string[];
  inlinePolicies: Record<string, unknown>;
  maxSessionDuration: number;
}

export type BootstrapConfig = NonNullable<MintingConfig['bootstrap']>;

/** The role from configuration: trusting only the central pipeline principal, with its conditions. */
export function desiredProvisioningRole(
  bootstrap: BootstrapConfig,
): DesiredRole {
  const role = bootstrap.provisioningRole;
  const condition: Record<string, Record<string, string | string[]>> = {};
  if (role.externalId)
    condition.StringEquals = { 'sts:ExternalId': role.externalId };
  if (role.principalOrgPaths?.length) {
    condition['ForAnyValue:StringLike'] = {
      'aws:PrincipalOrgPaths': role.principalOrgPaths,
    };
  }
  return {
    name: role.name,
    path: role.path,
    trustPolicy: {
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Principal: { AWS: role.trustedPrincipalArn },
          Action: 'sts:AssumeRole',
          ...(Object.keys(condition).length > 0
            ? { Condition: condition }
            : {}),
        },
      ],
    },
    permissionsBoundaryArn: role.permissionsBoundaryArn,
    managedPolicyArns: [...role.managedPolicyArns].sort(),
    inlinePolicies: role.inlinePolicies as Record<
      string,
      Record<string, unknown>
    >,
    maxSessionDuration: role.maxSessionDuration,
  };
}

/** JSON with object keys in order, so that two documents that mean the same compare equal. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(
      ([a], [b]) => a.localeCompare(b),
    );
    return `{${entries
      .map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

/** One change bootstrap would make to the role, with why. */
export type RoleAction =
  | { action: 'create-role'; reason: string }
  | { action: 'update-trust'; reason: string }
  | { action: 'update-max-session'; reason: string }
  | { action: 'put-boundary'; arn: string; reason: string }
  | { action: 'delete-boundary'; reason: string }
  | { action: 'attach-policy'; arn: string; reason: string }
  | { action: 'detach-policy'; arn: string; reason: string }
  | { action: 'put-inline-policy'; name: string; reason: string }
  | { action: 'delete-inline-policy'; name: string; reason: string }
  | { action: 'delete-role'; reason: string };

/**
 * What it takes to remove the role, as IAM wants it: its managed policies detached and
 * inline policies deleted first, then the role; nothing when it does not exist.
 */
export function planRoleRemoval(
  name: string,
  observed: ObservedRole | undefined,
): RoleAction[] {
  if (!observed) return [];
  const reason = 'the account is decommissioned';
  return [
    ...observed.managedPolicyArns.map(arn => ({
      action: 'detach-policy' as const,
      arn,
      reason: `${reason}: IAM deletes a role only once its policies are detached`,
    })),
    ...Object.keys(observed.inlinePolicies).map(policy => ({
      action: 'delete-inline-policy' as const,
      name: policy,
      reason: `${reason}: IAM deletes a role only once its inline policies are gone`,
    })),
    { action: 'delete-role', reason: `${reason}: role ${name} is removed` },
  ];
}

/** What it takes to make the observed role the desired one; nothing when they match. */
export function planRole(
  desired: DesiredRole,
  observed: ObservedRole | undefined,
): RoleAction[] {
  if (!observed) {
    return [
      { action: 'create-role', reason: `role ${desired.name} does not exist` },
      ...desired.managedPolicyArns.map(arn => ({
        action: 'attach-policy' as const,
        arn,
        reason: 'a new role',
      })),
      ...Object.keys(desired.inlinePolicies).map(name => ({
        action: 'put-inline-policy' as const,
        name,
        reason: 'a new role',
      })),
    ];
  }
  const actions: RoleAction[] = [];
  if (
    canonicalJson(observed.trustPolicy) !== canonicalJson(desired.trustPolicy)
  ) {
    actions.push({
      action: 'update-trust',
      reason: 'the trust policy differs from the one configured',
    });
  }
  if (observed.maxSessionDuration !== desired.maxSessionDuration) {
    actions.push({
      action: 'update-max-session',
      reason: `MaxSessionDuration is ${observed.maxSessionDuration}`,
    });
  }
  if (
    desired.permissionsBoundaryArn &&
    observed.permissionsBoundaryArn !== desired.permissionsBoundaryArn
  ) {
    actions.push({
      action: 'put-boundary',
      arn: desired.permissionsBoundaryArn,
      reason: 'the permissions boundary differs',
    });
  } else if (
    !desired.permissionsBoundaryArn &&
    observed.permissionsBoundaryArn
  ) {
    actions.push({
      action: 'delete-boundary',
      reason: 'no permissions boundary is configured',
    });
  }
  for (const arn of desired.managedPolicyArns.filter(
    a => !observed.managedPolicyArns.includes(a),
  )) {
    actions.push({
      action: 'attach-policy',
      arn,
      reason: 'a configured policy is not attached',
    });
  }
  for (const arn of observed.managedPolicyArns.filter(
    a => !desired.managedPolicyArns.includes(a),
  )) {
    actions.push({
      action: 'detach-policy',
      arn,
      reason: 'an attached policy is not configured',
    });
  }
  for (const [name, document] of Object.entries(desired.inlinePolicies)) {
    if (
      canonicalJson(observed.inlinePolicies[name]) !== canonicalJson(document)
    ) {
      actions.push({
        action: 'put-inline-policy',
        name,
        reason:
          name in observed.inlinePolicies
            ? 'the inline policy differs'
            : 'the inline policy is missing',
      });
    }
  }
  for (const name of Object.keys(observed.inlinePolicies).filter(
    n => !(n in desired.inlinePolicies),
  )) {
    actions.push({
      action: 'delete-inline-policy',
      name,
      reason: 'an inline policy is not configured',
    });
  }
  return actions;
}
