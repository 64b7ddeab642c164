/** The records the sandbox keeps. Plain data, so that a state file can hold them. */

export type Tags = Record<string, string>;

export interface RoleRecord {
  name: string;
  id: string;
  path: string;
  arn: string;
  createdAt: number;
  /** The trust policy, as the JSON text it was given in. */
  trustPolicy: string;
  description?: string;
  maxSessionDuration: number;
  permissionsBoundaryArn?: string;
  tags: Tags;
  /** Inline policies by name, as JSON text. */
  inlinePolicies: Record<string, string>;
  attachedPolicyArns: string[];
  /** Services every call of which this role is refused, as a Deny in its policies would do. */
  deniedServices?: DeniableService[];
}

/** The services a seed may deny to a principal. */
export type DeniableService = 'servicequotas';

export interface PolicyVersionRecord {
  id: string;
  document: string;
  createdAt: number;
}

export interface PolicyRecord {
  name: string;
  id: string;
  arn: string;
  path: string;
  description?: string;
  createdAt: number;
  updatedAt: number;
  defaultVersionId: string;
  versions: PolicyVersionRecord[];
  nextVersion: number;
  tags: Tags;
}

export type AccountStatus = 'ACTIVE' | 'SUSPENDED' | 'PENDING_CLOSURE';

export interface AccountRecord {
  id: string;
  name: string;
  email: string;
  status: AccountStatus;
  joinedMethod: 'CREATED' | 'INVITED';
  joinedAt: number;
  /** The organization the account belongs to, as member or management account. */
  organizationId?: string;
  /** The root or OU the account sits in. */
  parentId?: string;
  tags: Tags;
  /** Roles in the account cannot be assumed before this time. */
  assumableAt: number;
  /** When a closing account turns SUSPENDED. */
  closesAt?: number;
  roles: Record<string, RoleRecord>;
  /** Customer managed policies, by ARN. */
  policies: Record<string, PolicyRecord>;
}

export interface OrganizationRecord {
  id: string;
  arn: string;
  featureSet: 'ALL' | 'CONSOLIDATED_BILLING';
  managementAccountId: string;
  rootId: string;
  /** How many accounts the organization may hold, closed ones included. */
  accountQuota: number;
  /** Accounts it may close per rolling window when a seed sets it; else AWS's share of its members. */
  closeAccountQuota?: number;
  /** Accounts it may have PENDING_CLOSURE at once; the sandbox's default when absent. */
  closeAccountConcurrency?: number;
  /** When each CloseAccount still inside the close quota's rolling window was accepted. */
  closureTimes?: number[];
  /** The policy types enabled in the root, such as SERVICE_CONTROL_POLICY; none in a new organization. */
  enabledPolicyTypes?: string[];
  /** The customer managed policies (AWS managed ones such as FullAWSAccess are not stored). */
  policies?: OrganizationPolicyRecord[];
  /** Which policy is attached to which root, OU or account, AWS managed policies included. */
  policyAttachments?: PolicyAttachmentRecord[];
}

/** A customer managed policy of an organization, such as a service control policy. */
export interface OrganizationPolicyRecord {
  /** `p-` and 8 lowercase letters or digits. */
  id: string;
  arn: string;
  name: string;
  description: string;
  /** A PolicyType, such as SERVICE_CONTROL_POLICY. */
  type: string;
  /** The policy document, as the JSON text it was given in. */
  content: string;
  tags: Tags;
}

export interface PolicyAttachmentRecord {
  policyId: string;
  /** A root, OU or account id. */
  targetId: string;
}

export interface ContainerRecord {
  id: string;
  arn: string;
  name: string;
  type: 'ROOT' | 'ORGANIZATIONAL_UNIT';
  organizationId: string;
  /** Undefined for a root. */
  parentId?: string;
  tags: Tags;
}

export type CreateAccountState = 'IN_PROGRESS' | 'SUCCEEDED' | 'FAILED';

export interface CreateAccountRequestRecord {
  id: string;
  organizationId: string;
  accountName: string;
  email: string;
  roleName: string;
  tags: Tags;
  requestedAt: number;
  completesAt: number;
  state: CreateAccountState;
  accountId?: string;
  completedAt?: number;
  failureReason?: string;
}

export type PrincipalRecord =
  | {
      type: 'user';
      accountId: string;
      arn: string;
      userId: string;
      /** Services every call of which this user is refused. */
      deniedServices?: DeniableService[];
    }
  | {
      type: 'assumed-role';
      accountId: string;
      /** The assumed-role ARN, `arn:aws:sts::<account>:assumed-role/<role>/<session>`. */
      arn: string;
      userId: string;
      roleArn: string;
      sessionName: string;
    };

export interface CredentialRecord {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
  expiresAt?: number;
  principal: PrincipalRecord;
}

export interface ObjectRecord {
  /** The body, base64-encoded. */
  body: string;
  etag: string;
  lastModified: number;
  contentType?: string;
  versionId?: string;
}

export interface BucketRecord {
  name: string;
  ownerAccountId: string;
  createdAt: number;
  region: string;
  versioning?: 'Enabled' | 'Suspended';
  /** Whether every principal of the sandbox may use the bucket, as a bucket policy would allow. */
  sharedWithAllAccounts: boolean;
  objects: Record<string, ObjectRecord>;
}

/** Everything the sandbox knows: what a state file holds. */
export interface SandboxData {
  accounts: AccountRecord[];
  organizations: OrganizationRecord[];
  containers: ContainerRecord[];
  createAccountRequests: CreateAccountRequestRecord[];
  credentials: CredentialRecord[];
  buckets: BucketRecord[];
}
