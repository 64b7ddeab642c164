import { z } from 'zod';

const accountId = z.string().regex(/^\d{12}$/, 'must be 12 digits');
const email = z.string().email('must be an email address');
const tags = z.record(z.string().min(1).max(128), z.string().max(256));

const policyDocument = z.union([
  z.string().refine(s => {
    try {
      return typeof JSON.parse(s) === 'object';
    } catch {
      return false;
    }
  }, 'must be a JSON policy document'),
  z.record(z.unknown()),
]);

/** Services the principal is refused outright (AccessDeniedException), as a Deny would do. */
const deniedServices = z.array(z.enum(['servicequotas'])).default([]);

const role = z.object({
  name: z.string().regex(/^[\w+=,.@-]{1,64}$/, 'must be an IAM role name'),
  path: z.string().startsWith('/').endsWith('/').default('/'),
  trustPolicy: policyDocument,
  maxSessionDuration: z.number().int().min(3600).max(43200).default(3600),
  inlinePolicies: z.record(policyDocument).default({}),
  attachedPolicyArns: z.array(z.string().startsWith('arn:')).default([]),
  deniedServices,
});

const user = z.object({
  name: z.string().regex(/^[\w+=,.@-]{1,64}$/, 'must be an IAM user name'),
  accessKeyId: z
    .string()
    .regex(
      /^AKIA[A-Z0-9]{16}$/,
      'must look like AKIA followed by 16 letters or digits',
    ),
  secretAccessKey: z.string().min(16),
  deniedServices,
});

const bucket = z.object({
  name: z
    .string()
    .regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'must be an S3 bucket name'),
  region: z.string().default('us-east-1'),
  versioning: z.enum(['Enabled', 'Suspended']).optional(),
  sharedWithAllAccounts: z.boolean().default(false),
});

const account = z.object({
  id: accountId.optional(),
  name: z.string().min(1).max(50),
  email,
  tags: tags.default({}),
  users: z.array(user).default([]),
  roles: z.array(role).default([]),
  buckets: z.array(bucket).default([]),
});

const memberAccount = account.extend({
  /** The OU path below the root, such as `workloads/prod`; the root when absent. */
  ou: z.string().optional(),
  /** Joined by invitation: JoinedMethod INVITED, and no OrganizationAccountAccessRole. */
  invited: z.boolean().optional(),
});

const organization = z.object({
  name: z.string().min(1),
  managementAccount: account.extend({ id: accountId }),
  featureSet: z.enum(['ALL', 'CONSOLIDATED_BILLING']).default('ALL'),
  accountQuota: z.number().int().positive().default(10),
  /** Accounts it may close per 30 days; AWS's 10% of the members (10 to 1000) when absent. */
  closeAccountQuota: z.number().int().positive().optional(),
  /** Accounts it may have PENDING_CLOSURE at once; 3 when absent. */
  closeAccountConcurrency: z.number().int().positive().optional(),
  organizationalUnits: z.array(z.string().min(1)).default([]),
  accounts: z.array(memberAccount).default([]),
});

/** The seed file: the estate a fresh or reset sandbox starts from. */
export const seedSchema = z.object({
  accounts: z.array(account.extend({ id: accountId })).default([]),
  organizations: z.array(organization).default([]),
});

export type Seed = z.infer<typeof seedSchema>;
export type SeedAccount = z.infer<typeof account>;
export type SeedMemberAccount = z.infer<typeof memberAccount>;
