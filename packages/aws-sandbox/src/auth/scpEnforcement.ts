import { AwsError } from '../errors';
import {
  AccountRecord,
  OrganizationRecord,
  PrincipalRecord,
} from '../state/model';
import { SandboxState } from '../state/SandboxState';
import {
  attachedPolicies,
  isPolicyTypeEnabled,
  SERVICE_CONTROL_POLICY,
} from '../services/organizations/policyStore';
import { parsePolicyDocument, PolicyStatement } from './policyDocument';
import { evaluateServiceControlPolicies } from './serviceControlPolicies';

/**
 * Service control policies applied to the sandbox's calls: a principal of a member
 * account (never the management account) is refused what the SCPs of its account's
 * path do not allow, once the organization has enabled SERVICE_CONTROL_POLICY.
 * See `serviceControlPolicies.ts` for what is evaluated.
 */

// S3 operations whose IAM action has another name.
const S3_ACTIONS: Record<string, string> = {
  ListObjectsV2: 'ListBucket',
  HeadBucket: 'ListBucket',
  HeadObject: 'GetObject',
  ListBuckets: 'ListAllMyBuckets',
  ListObjectVersions: 'ListBucketVersions',
  DeleteObjects: 'DeleteObject',
  CopyObject: 'PutObject',
};

// Calls AWS answers whatever the policies say.
const UNRESTRICTED_ACTIONS = new Set(['sts:GetCallerIdentity']);

/** The IAM action a call of the sandbox is, such as `iam:CreateRole` or `s3:ListBucket`. */
export function actionOf(service: string, operation: string): string {
  const name =
    service === 's3' ? S3_ACTIONS[operation] ?? operation : operation;
  return `${service}:${name}`;
}

const text = (value: unknown) =>
  typeof value === 'string' ? value : undefined;

/**
 * The resource the denial message names: the role, policy, bucket or object the call
 * is about where its input says so, `*` otherwise. The decision does not depend on it.
 */
export function resourceOf(
  service: string,
  input: unknown,
  account: AccountRecord,
): string {
  const fields = (input ?? {}) as Record<string, unknown>;
  const accountId = account.id;
  if (service === 'iam') {
    const path = text(fields.Path) ?? '/';
    if (text(fields.PolicyArn)) return text(fields.PolicyArn)!;
    const roleName = text(fields.RoleName);
    if (roleName) {
      const existing = Object.prototype.hasOwnProperty.call(
        account.roles,
        roleName,
      )
        ? account.roles[roleName]
        : undefined;
      return (
        existing?.arn ?? `arn:aws:iam::${accountId}:role${path}${roleName}`
      );
    }
    if (text(fields.PolicyName)) {
      return `arn:aws:iam::${accountId}:policy${path}${fields.PolicyName}`;
    }
  }
  if (service === 'sts' && text(fields.RoleArn)) return text(fields.RoleArn)!;
  if (service === 's3' && text(fields.Bucket)) {
    const key = text(fields.Key);
    return `arn:aws:s3:::${fields.Bucket}${key !== undefined ? `/${key}` : ''}`;
  }
  return '*';
}

/**
 * AccessDenied as each service shapes it: Query and REST/XML services answer 403 AccessDenied,
 * the REST/JSON Account Management API 403 AccessDeniedException, JSON 1.1 services 400.
 */
function accessDenied(service: string, message: string): AwsError {
  if (['iam', 'sts', 's3'].includes(service)) {
    return new AwsError('AccessDenied', message, 403);
  }
  return new AwsError(
    'AccessDeniedException',
    message,
    service === 'account' ? 403 : 400,
  );
}

/** The statements of the SCPs attached at each level of an account's path: root, OUs, account. */
function statementsByLevel(
  state: SandboxState,
  organization: OrganizationRecord,
  accountId: string,
): PolicyStatement[][] {
  const targetIds = [accountId];
  let parentId = state.accounts.get(accountId)?.parentId;
  while (parentId) {
    targetIds.unshift(parentId);
    parentId = state.containers.get(parentId)?.parentId;
  }
  return targetIds.map(id =>
    attachedPolicies(organization, id, SERVICE_CONTROL_POLICY).flatMap(p =>
      // Stored documents were checked when they were created or updated.
      parsePolicyDocument(p.content),
    ),
  );
}

/**
 * Refuses a call that the SCPs of the caller's organization do not allow.
 * @throws AccessDenied (AccessDeniedException for JSON services) with AWS's wording
 */
export function enforceServiceControlPolicies(
  state: SandboxState,
  service: string,
  operation: string,
  caller: PrincipalRecord,
  input: unknown,
): void {
  const action = actionOf(service, operation);
  if (UNRESTRICTED_ACTIONS.has(action)) return;
  const account = state.accounts.get(caller.accountId);
  const organization = account?.organizationId
    ? state.organizations.get(account.organizationId)
    : undefined;
  if (
    !account ||
    !organization ||
    organization.managementAccountId === account.id ||
    !isPolicyTypeEnabled(organization, SERVICE_CONTROL_POLICY)
  ) {
    return;
  }
  const principalArn =
    caller.type === 'assumed-role' ? caller.roleArn : caller.arn;
  const decision = evaluateServiceControlPolicies(
    statementsByLevel(state, organization, account.id),
    { action, principalArn },
  );
  if (decision === 'allowed') return;
  const denied = `User: ${
    caller.arn
  } is not authorized to perform: ${action} on resource: ${resourceOf(
    service,
    input,
    account,
  )}`;
  throw accessDenied(
    service,
    decision === 'explicit-deny'
      ? `${denied} with an explicit deny in a service control policy`
      : `${denied} because no service control policy allows the ${action} action`,
  );
}
