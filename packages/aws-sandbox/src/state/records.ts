import { ids } from '../ids';
import {
  AccountRecord,
  ContainerRecord,
  OrganizationRecord,
  RoleRecord,
  Tags,
} from './model';

/** A new, empty account. */
export function newAccount(options: {
  id: string;
  name: string;
  email: string;
  joinedMethod: AccountRecord['joinedMethod'];
  now: number;
  assumableAt?: number;
  tags?: Tags;
}): AccountRecord {
  return {
    id: options.id,
    name: options.name,
    email: options.email,
    status: 'ACTIVE',
    joinedMethod: options.joinedMethod,
    joinedAt: options.now,
    tags: { ...options.tags },
    assumableAt: options.assumableAt ?? options.now,
    roles: {},
    policies: {},
  };
}

/** A new IAM role in an account. */
export function newRole(options: {
  accountId: string;
  name: string;
  path?: string;
  trustPolicy: string;
  now: number;
  description?: string;
  maxSessionDuration?: number;
  permissionsBoundaryArn?: string;
  tags?: Tags;
}): RoleRecord {
  const path = options.path ?? '/';
  return {
    name: options.name,
    id: ids.roleId(),
    path,
    arn: `arn:aws:iam::${options.accountId}:role${path}${options.name}`,
    createdAt: options.now,
    trustPolicy: options.trustPolicy,
    description: options.description,
    maxSessionDuration: options.maxSessionDuration ?? 3600,
    permissionsBoundaryArn: options.permissionsBoundaryArn,
    tags: { ...options.tags },
    inlinePolicies: {},
    attachedPolicyArns: [],
  };
}

/** The trust policy AWS gives OrganizationAccountAccessRole: the management account may assume it. */
export function managementAccountTrust(managementAccountId: string): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Principal: { AWS: `arn:aws:iam::${managementAccountId}:root` },
        Action: 'sts:AssumeRole',
      },
    ],
  });
}

/** Adds the administrator role that AWS creates in every account CreateAccount makes. */
export function addOrganizationAccessRole(
  account: AccountRecord,
  roleName: string,
  managementAccountId: string,
  now: number,
): void {
  const role = newRole({
    accountId: account.id,
    name: roleName,
    trustPolicy: managementAccountTrust(managementAccountId),
    now,
  });
  role.attachedPolicyArns.push('arn:aws:iam::aws:policy/AdministratorAccess');
  account.roles[roleName] = role;
}

/** A new organization with its root, managed by `managementAccount`. */
export function newOrganization(
  managementAccount: AccountRecord,
  options: {
    featureSet: OrganizationRecord['featureSet'];
    accountQuota: number;
    closeAccountQuota?: number;
    closeAccountConcurrency?: number;
  },
): { organization: OrganizationRecord; root: ContainerRecord } {
  const id = ids.organization();
  const rootId = ids.root();
  const organization: OrganizationRecord = {
    id,
    arn: `arn:aws:organizations::${managementAccount.id}:organization/${id}`,
    featureSet: options.featureSet,
    managementAccountId: managementAccount.id,
    rootId,
    accountQuota: options.accountQuota,
    closeAccountQuota: options.closeAccountQuota,
    closeAccountConcurrency: options.closeAccountConcurrency,
  };
  const root: ContainerRecord = {
    id: rootId,
    arn: `arn:aws:organizations::${managementAccount.id}:root/${id}/${rootId}`,
    name: 'Root',
    type: 'ROOT',
    organizationId: id,
    tags: {},
  };
  return { organization, root };
}

/** A new OU below `parent`. */
export function newOrganizationalUnit(
  organization: OrganizationRecord,
  parentId: string,
  name: string,
  tags: Tags = {},
): ContainerRecord {
  const id = ids.organizationalUnit(organization.rootId);
  return {
    id,
    arn: `arn:aws:organizations::${organization.managementAccountId}:ou/${organization.id}/${id}`,
    name,
    type: 'ORGANIZATIONAL_UNIT',
    organizationId: organization.id,
    parentId,
    tags: { ...tags },
  };
}

/** The ARN Organizations gives an account. */
export function accountArn(
  organization: OrganizationRecord,
  accountId: string,
): string {
  return `arn:aws:organizations::${organization.managementAccountId}:account/${organization.id}/${accountId}`;
}
