import { Config } from '@backstage/config';
import {
  MintingConfigView,
  patternNeedsOwner,
  RegionRequest,
  validateRegionOuPattern,
  validateRegionRequest,
} from '@regional-minting/plugin-account-minting-common';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { z, ZodError } from 'zod';

// The one declaration of accountMinting: config.d.ts is generated from it (configDeclaration.ts),
// so each key's description and visibility are written here, and each default once, in the schema.

/** A type config.d.ts names for a key instead of the one the schema implies. */
const declaredAs = (name: string, from: string) => ({ tsType: { name, from } });

const name = z
  .string()
  .regex(
    /^[a-z][a-z0-9-]{0,30}$/,
    'must be lower-case letters, digits and hyphens, starting with a letter',
  );
const tags = z.record(
  z
    .string()
    .min(1, 'tag keys must not be empty')
    .max(128, 'tag keys are at most 128 characters'),
  z.string().max(256, 'tag values are at most 256 characters'),
);
const roleArn = z
  .string()
  .regex(
    /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]+$/,
    'must be an IAM role ARN',
  );
const options = z.record(z.string(), z.unknown());
const schedule = z
  .record(z.string(), z.unknown())
  .meta(
    declaredAs(
      'SchedulerServiceTaskScheduleDefinitionConfig',
      '@backstage/backend-plugin-api',
    ),
  );

const provisionStep = z.object({
  name: z
    .string()
    .regex(
      /^[a-z][a-z0-9-]{0,40}$/,
      'must be lower-case letters, digits and hyphens',
    )
    .describe('Unique among its steps, such as terraform or argocd.'),
  provisioner: z
    .string()
    .min(1)
    .describe(
      'The provisioner that runs it: command, terraform, or one a backend module adds.',
    ),
  options: options.default({}).describe('Passed to the provisioner.'),
  timeoutSeconds: z.number().min(1).max(86_400).default(3600),
});

/** The schema of accountMinting, which config.d.ts declares to Backstage. */
export const mintingConfigSchema = z
  .object({
    aws: z
      .object({
        endpoint: z
          .string()
          .url('must be a URL such as http://127.0.0.1:4566')
          .optional()
          .describe(
            "An endpoint that every AWS client uses instead of AWS, such as the sandbox's http://127.0.0.1:4566.",
          ),
        region: z
          .string()
          .default('us-east-1')
          .describe(
            'The region of the STS, Organizations, IAM and S3 clients.',
          ),
      })
      .prefault({}),
    platformOu: z
      .string()
      .min(1)
      .max(128)
      .default('rosa-regional-platform')
      .describe("The OU below each payer's root that holds the environments."),
    accountEmail: z
      .string()
      .refine(
        v => v.includes('{account}'),
        'must contain {account}, so that every account has its own email',
      )
      .refine(
        v => /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(v.replace('{account}', 'x')),
        'must be an email address template such as aws+{account}@example.com',
      )
      .describe(
        'The root email of each account; {account} is the account name. Plus-addressing keeps them unique.',
      ),
    tags: tags
      .default({})
      .describe(
        'Tags added to every account, besides the ones that say what it is.',
      ),
    payers: z
      .array(
        z.object({
          name: name.describe('A short name, such as control or staging-1.'),
          accountId: z
            .string()
            .regex(/^\d{12}$/, 'must be a 12-digit account id')
            .describe("The payer's 12-digit account id."),
          mintRoleArn: roleArn.describe(
            'The role in the payer that the mint pipeline assumes.',
          ),
          bootstrapRoleArn: roleArn
            .optional()
            .describe(
              'The role in the payer that the bootstrap pipeline chains through.',
            ),
          externalId: z.string().min(2).max(1224).optional().meta({
            description: "The ExternalId the payer's roles require, if any.",
            visibility: 'secret',
          }),
          accountQuota: z
            .number()
            .int('must be a whole number')
            .positive('must be 1 or more')
            .optional()
            .describe(
              'How many accounts the organization may hold, closed ones included (the Organizations quota "Default maximum number of accounts"). Used only when Service Quotas does not give it: the minting role may not call it, or it has no such quota.',
            ),
        }),
      )
      .min(1, 'needs at least one payer')
      .describe('The payer accounts, each managing an AWS organization.'),
    environments: z
      .array(
        z.object({
          name: name.describe('Such as prod, int, stage or dev.'),
          payer: z.string().describe('The name of the payer that serves it.'),
          regionOu: z
            .string()
            .default('{environment}-{region}')
            .describe(
              'The region OU name pattern, from {environment}, {region} and {owner}.',
            ),
          regions: z
            .array(
              z
                .string()
                .regex(
                  /^[a-z]{2}(?:-gov)?-[a-z]+-\d+$/,
                  'must be AWS region codes such as us-east-1',
                ),
            )
            .min(1, 'needs at least one region')
            .describe('The AWS regions this environment may use.'),
          drift: z
            .enum(['report', 'repair'])
            .optional()
            .describe(
              'What scheduled drift checks do with what they find: report (findings only, for people to repair) or repair (the engine runs the pipeline that puts it right). Default report for environments whose name starts with prod, repair for the others (defaultDriftPolicy).',
            ),
          approval: z
            .object({
              approvers: z
                .number()
                .int('must be a whole number')
                .min(1, 'must be at least 1')
                .max(10, 'must be at most 10')
                .describe(
                  'How many distinct people of the group must approve; never the requester.',
                ),
              group: z
                .string()
                .regex(
                  /^group:[a-z0-9-_.]+\/[a-zA-Z0-9-_.]+$/,
                  'must be a group entity ref such as group:default/platform-approvers',
                )
                .describe(
                  'The catalog group whose members may approve, such as group:default/platform-approvers.',
                ),
              expiresAfter: z
                .object({
                  days: z.number().min(0).optional(),
                  hours: z.number().min(0).optional(),
                  minutes: z.number().min(0).optional(),
                })
                .refine(
                  d => (d.days ?? 0) + (d.hours ?? 0) + (d.minutes ?? 0) > 0,
                  'must be a positive duration such as { hours: 72 }',
                )
                .default({ hours: 72 })
                .describe(
                  'How long a change waits for its approvals before it expires. Default 72 hours.',
                ),
              reasonRequired: z
                .boolean()
                .default(true)
                .describe(
                  'Whether a change must say why it is asked for. Default true.',
                ),
            })
            .optional()
            .describe(
              'Changes that would mutate AWS in this environment (region requests, pipeline runs, repairs, retries) wait for approval; none means no approval. Drift checks never need it.',
            ),
        }),
      )
      .min(1, 'needs at least one environment')
      .describe('The environments, each served by one payer.'),
    drift: z
      .object({
        // Read through Backstage's config by drift/schedules.ts; declared here for config.d.ts.
        schedules: z
          .strictObject({
            mint: schedule.optional(),
            bootstrap: schedule.optional(),
            provision: schedule.optional(),
          })
          .prefault({})
          .describe(
            "When each pipeline's drift check runs, in Backstage's schedule format. Defaults: mint every 15 minutes, bootstrap hourly, provision daily.",
          ),
        notifyGroup: z
          .string()
          .regex(
            /^group:[^/\s]+\/[^\s]+$|^group:[^/\s]+$/,
            'must be a group entity ref such as group:default/platform-sre',
          )
          .optional()
          .describe(
            "A group entity ref told of new findings and failed runs, besides each region's requester.",
          ),
        accountConcurrency: z
          .number()
          .int()
          .min(1)
          .max(50)
          .default(8)
          .describe(
            'Accounts a bootstrap or provision check looks into at once in each payer.',
          ),
      })
      .prefault({})
      .describe(
        'Scheduled drift checks: every layer of every region, compared with AWS.',
      ),
    accountRoles: z
      .array(
        z.object({
          name: name.describe(
            'Such as regional-cluster or management-cluster.',
          ),
          suffix: z
            .string()
            .regex(
              /^[a-z][a-z0-9]{0,9}$/,
              'must be up to 10 lower-case letters and digits',
            )
            .describe('The account name suffix, such as rc or mc.'),
          count: z
            .number()
            .int()
            .min(0)
            .describe(
              'Accounts of this role in a region, unless a request asks for another count.',
            ),
          minCount: z
            .number()
            .int()
            .min(0)
            .default(0)
            .describe(
              'The fewest accounts of this role a region may have, such as 1 for a role no region goes without.',
            ),
          maxCount: z
            .number()
            .int()
            .min(0)
            .max(50)
            .default(10)
            .describe('The most accounts of this role a request may ask for.'),
          tags: tags
            .default({})
            .describe('Tags added to the accounts of this role.'),
          provision: z
            .array(provisionStep)
            .default([])
            .describe(
              'Pipeline 3: the steps that provision an account of this role, in order.',
            ),
        }),
      )
      .min(1, 'needs at least one account role')
      .describe(
        'The account roles of a region, each with how many accounts it has.',
      ),
    regionSteps: z
      .array(provisionStep)
      .default([])
      .describe(
        'Steps that run once every account of a region is provisioned, and see all their outputs.',
      ),
    provision: z
      .object({
        stateBucket: z
          .string()
          .regex(
            /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/,
            'must be an S3 bucket name',
          )
          .describe(
            "The central account's bucket; each account and step has its own key.",
          ),
        stateRegion: z
          .string()
          .optional()
          .describe('Default: accountMinting.aws.region.'),
        maxConcurrentSteps: z
          .number()
          .int()
          .min(1)
          .max(200)
          .default(10)
          .describe('Provisioning steps this backend runs at once.'),
      })
      .optional()
      .describe(
        'Where provisioning keeps its state, and how much of it runs at once.',
      ),
    bootstrap: z
      .object({
        accessRoleName: z
          .string()
          .regex(/^[\w+=,.@-]{1,64}$/, 'must be an IAM role name')
          .default('OrganizationAccountAccessRole')
          .describe(
            'The role CreateAccount made in each account, reached from the payer.',
          ),
        readinessTimeoutSeconds: z
          .number()
          .min(1)
          .max(86_400)
          .default(900)
          .describe(
            'How long to wait for a new account to accept the role chain, in seconds.',
          ),
        provisioningRole: z
          .object({
            name: z
              .string()
              .regex(/^[\w+=,.@-]{1,64}$/, 'must be an IAM role name')
              .default('account-minting-provisioner'),
            path: z
              .string()
              .regex(/^\/(?:[\w+=,.@-]+\/)*$/, 'must be / or /a/path/')
              .default('/'),
            trustedPrincipalArn: z
              .string()
              .regex(
                /^arn:aws[a-z-]*:(iam|sts)::\d{12}:(role|user|assumed-role)\/[\w+=,.@/-]+$/,
                'must be an IAM role or user ARN',
              )
              .describe(
                "The only principal the role trusts: the central pipeline's role (or user) ARN.",
              ),
            externalId: z.string().min(2).max(1224).optional().meta({
              description: 'An sts:ExternalId the trusted principal must pass.',
              visibility: 'secret',
            }),
            principalOrgPaths: z
              .array(z.string().min(1))
              .optional()
              .describe(
                'aws:PrincipalOrgPaths patterns the principal must match, such as o-abc/r-ab12/ou-ab12-xxxx/*.',
              ),
            permissionsBoundaryArn: z
              .string()
              .regex(
                /^arn:aws[a-z-]*:iam::(\d{12}|aws):policy\/.+$/,
                'must be an IAM policy ARN',
              )
              .optional()
              .describe('The permissions boundary policy ARN.'),
            managedPolicyArns: z
              .array(
                z
                  .string()
                  .regex(
                    /^arn:aws[a-z-]*:iam::(\d{12}|aws):policy\/.+$/,
                    'must be IAM policy ARNs',
                  ),
              )
              .default([])
              .describe('Managed policies attached to the role.'),
            inlinePolicies: z
              .record(z.string(), options)
              .default({})
              .describe('Inline policies by name: IAM policy documents.'),
            maxSessionDuration: z
              .number()
              .int()
              .min(3600)
              .max(43200)
              .default(3600),
          })
          .describe(
            'The provisioning (Terraform) role that pipeline 3 assumes.',
          ),
      })
      .optional()
      .describe(
        "Pipeline 2: the provisioning role each account gets, made through the payer's bootstrap role.",
      ),
    engine: z
      .object({
        concurrency: z
          .number()
          .int()
          .min(1)
          .max(200)
          .default(20)
          .describe('Steps this backend runs at once.'),
        leaseSeconds: z
          .number()
          .min(1)
          .max(3600)
          .default(30)
          .describe(
            "How long a step's claim lasts without a heartbeat before another backend takes it over.",
          ),
        pollIntervalMs: z
          .number()
          .int()
          .min(10)
          .max(60_000)
          .default(1000)
          .describe(
            'How often an idle backend looks for work, in milliseconds.',
          ),
        callsPerPayer: z
          .number()
          .int()
          .min(1)
          .max(50)
          .default(8)
          .describe(
            'Organizations calls in flight per payer from this backend.',
          ),
        callsPerSecond: z
          .number()
          .min(0.1)
          .max(1000)
          .default(8)
          .describe(
            "Organizations calls that may start each second in each payer: calls are paced under the organization's request rate rather than throttled and retried.",
          ),
        creationPollMs: z
          .object({
            min: z.number().min(1).default(2000),
            max: z.number().min(1).default(30_000),
          })
          .prefault({})
          .describe(
            'Waits between looks at an account creation, in milliseconds: the first, growing to the last.',
          ),
        retries: z
          .object({
            attempts: z.number().int().min(1).max(20).default(8),
            baseDelayMs: z.number().min(1).default(200),
            maxDelayMs: z.number().min(1).default(20_000),
          })
          .prefault({})
          .describe(
            'Retries of throttled or contended calls, and their backoff in milliseconds.',
          ),
        observerMaxAgeSeconds: z
          .number()
          .min(0)
          .max(3600)
          .default(60)
          .describe(
            "How old a read of an organization's shared copy may be before a run's step reads AWS again. The copy follows the engine's own changes; this bounds how long a change made by anyone else goes unseen. Default 60.",
          ),
        estateMaxAgeSeconds: z
          .number()
          .min(1)
          .max(3600)
          .default(30)
          .describe(
            "How old the estate's observation of AWS may be before GET /estate reads it again behind its answer (and never sooner than ten times that read's length).",
          ),
        maxStepAttempts: z
          .number()
          .int()
          .min(1)
          .max(100)
          .default(10)
          .describe(
            'Attempts of a step that keeps failing with transient errors.',
          ),
      })
      .prefault({})
      .describe('How this backend runs steps.'),
    policies: z
      .array(
        z.object({
          name: z
            .string()
            .regex(
              /^[\w+=,.@-]{1,128}$/,
              'must be up to 128 letters, digits and +=,.@-_',
            )
            .describe('The SCP name in each payer organization: unique.'),
          description: z
            .string()
            .max(512)
            .optional()
            .describe('What it is for, as AWS shows it.'),
          document: z
            .union([z.record(z.string(), z.unknown()), z.string().min(1)])
            .describe(
              "The SCP's IAM policy document: a JSON object, or the path of a JSON file relative to the backend's working directory. At most 5,120 characters once minified.",
            ),
          targets: z
            .array(
              z.union([
                z.literal('platform'),
                z.strictObject({ environment: z.string() }),
                z.strictObject({ regionOusOf: z.string() }),
              ]),
            )
            .min(1, 'needs at least one target')
            .describe(
              "Where it is attached: platform (each payer's platform OU), { environment: <name> } (its environment OU) or { regionOusOf: <environment> } (each region OU of the environment).",
            ),
        }),
      )
      .default([])
      .describe(
        'Service control policies the mint pipeline keeps attached to the OUs it makes, tagged managed-by: account-minting.',
      ),
    decommission: z
      .object({
        closedOu: z
          .string()
          .min(1)
          .max(128)
          .default('Suspended')
          .describe(
            "The OU below each payer's root where decommissioned accounts wait, SUSPENDED, until AWS removes them; created when missing. Default Suspended.",
          ),
        closeWindowDays: z
          .number()
          .positive('must be more than 0')
          .default(30)
          .describe(
            "The rolling window of AWS's close quota, in days: 30 in AWS; a sandbox with scaled time sets its own.",
          ),
        closeQuota: z
          .number()
          .int('must be a whole number')
          .positive('must be 1 or more')
          .optional()
          .describe(
            "Accounts each organization may close per window, where it differs from AWS's 10% of member accounts (at least 10, at most 1000).",
          ),
      })
      .prefault({})
      .describe(
        'How regions and accounts are decommissioned: where closed accounts go, and the close quota.',
      ),
    regions: z
      .array(
        z.object({
          environment: z.string(),
          region: z.string(),
          owner: z.string().optional(),
          accountRoles: z
            .record(z.string(), z.number())
            .optional()
            .describe(
              'Accounts per account role, where they differ from the role counts.',
            ),
        }),
      )
      .default([])
      .describe('Regions declared in configuration, reviewed in git.'),
  })
  .describe(
    'Regional Account Minting: the estate to mint, and how to reach AWS.',
  );

type ParsedConfig = z.infer<typeof mintingConfigSchema>;
export type MintingConfig = Omit<ParsedConfig, 'environments' | 'policies'> & {
  environments: (Omit<ParsedConfig['environments'][number], 'drift'> & {
    needsOwner: boolean;
    drift: 'report' | 'repair';
  })[];
  policies: PolicyConfig[];
};

/** Where a declared SCP is attached. */
export type PolicyTarget = ParsedConfig['policies'][number]['targets'][number];

/** A declared SCP, its document read and minified as AWS stores and counts it. */
export interface PolicyConfig {
  name: string;
  description: string;
  content: string;
  targets: PolicyTarget[];
}

/** Production environments report drift for people to look at; the others are repaired by the engine. */
export function defaultDriftPolicy(environment: string): 'report' | 'repair' {
  return environment.startsWith('prod') ? 'report' : 'repair';
}
export type PayerConfig = MintingConfig['payers'][number];
export type EnvironmentConfig = MintingConfig['environments'][number];
export type ApprovalConfig = NonNullable<EnvironmentConfig['approval']>;
export type AccountRoleConfig = MintingConfig['accountRoles'][number];
export type ProvisionStepConfig = AccountRoleConfig['provision'][number];

/**
 * Checks that every provisioning step names a provisioner that is registered.
 * @throws Error naming each step and the provisioners there are.
 */
export function checkProvisioners(
  config: MintingConfig,
  registered: string[],
): void {
  const problems: string[] = [];
  const check = (step: ProvisionStepConfig, path: string) => {
    if (!registered.includes(step.provisioner)) {
      problems.push(
        `accountMinting.${path}.provisioner: ${
          step.provisioner
        } is not registered; registered: ${registered.join(', ') || 'none'}`,
      );
    }
  };
  config.accountRoles.forEach((role, i) =>
    role.provision.forEach((step, j) =>
      check(step, `accountRoles.${i}.provision.${j}`),
    ),
  );
  config.regionSteps.forEach((step, i) => check(step, `regionSteps.${i}`));
  if (problems.length > 0) {
    throw new Error(
      `Invalid account-minting configuration:\n  ${problems.join('\n  ')}`,
    );
  }
}

function issues(error: ZodError): string[] {
  return error.issues.flatMap(i =>
    // A record's key that breaks its rule: zod nests the rule under "Invalid key in record".
    (i.code === 'invalid_key' ? i.issues : [i]).map(
      rule => `accountMinting.${i.path.join('.')}: ${rule.message}`,
    ),
  );
}

function unique<T>(
  items: T[],
  key: (t: T) => string,
  path: string,
  problems: string[],
) {
  const seen = new Set<string>();
  items.forEach((item, index) => {
    const value = key(item);
    if (seen.has(value))
      problems.push(
        `accountMinting.${path}.${index}: ${value} is declared twice`,
      );
    seen.add(value);
  });
}

/** What a new-region form needs to know, and validates requests against. */
export function configView(config: MintingConfig): MintingConfigView {
  return {
    platformOu: config.platformOu,
    payers: config.payers.map(p => ({ name: p.name, accountId: p.accountId })),
    environments: config.environments.map(e => ({
      name: e.name,
      payer: e.payer,
      regionOu: e.regionOu,
      regions: e.regions,
      needsOwner: e.needsOwner,
      ...(e.approval
        ? {
            approval: {
              approvers: e.approval.approvers,
              group: e.approval.group,
              reasonRequired: e.approval.reasonRequired,
            },
          }
        : {}),
    })),
    accountRoles: config.accountRoles.map(r => ({
      name: r.name,
      suffix: r.suffix,
      count: r.count,
      minCount: r.minCount,
      maxCount: r.maxCount,
    })),
  };
}

// What AWS allows of a service control policy: its minified size, and five per target (FullAWSAccess counting).
const SCP_MAX_CHARACTERS = 5120;
const SCP_MAX_DECLARED_PER_TARGET = 4;
const STATEMENT_MEMBERS = [
  'Sid',
  'Effect',
  'Action',
  'NotAction',
  'Resource',
  'NotResource',
  'Condition',
];

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const isStrings = (v: unknown) =>
  typeof v === 'string' ||
  (Array.isArray(v) && v.length > 0 && v.every(i => typeof i === 'string'));

/** What makes a document no SCP, as Organizations would refuse it; empty when it is one. */
function scpDocumentProblems(document: unknown): string[] {
  if (!isObject(document)) return ['must be a JSON object'];
  const problems: string[] = [];
  if (
    document.Version !== undefined &&
    !['2012-10-17', '2008-10-17'].includes(document.Version as string)
  )
    problems.push('Version must be 2012-10-17');
  const statements = Array.isArray(document.Statement)
    ? document.Statement
    : [document.Statement];
  if (document.Statement === undefined || statements.length === 0)
    problems.push('needs a Statement');
  statements.forEach((statement, i) => {
    const where = `Statement.${i}`;
    if (!isObject(statement)) {
      problems.push(`${where} must be an object`);
      return;
    }
    const unknown = Object.keys(statement).filter(
      k => !STATEMENT_MEMBERS.includes(k),
    );
    if (unknown.length > 0)
      problems.push(
        `${where}: ${unknown.join(', ')} cannot be in an SCP statement`,
      );
    if (statement.Effect !== 'Allow' && statement.Effect !== 'Deny')
      problems.push(`${where}.Effect must be Allow or Deny`);
    for (const [one, other, required] of [
      ['Action', 'NotAction', true],
      ['Resource', 'NotResource', false],
    ] as const) {
      const given = [one, other].filter(k => statement[k] !== undefined);
      if (given.length > 1) problems.push(`${where}: give ${one} or ${other}`);
      else if (given.length === 0 && required)
        problems.push(`${where} needs ${one} or ${other}`);
      else if (given.length === 1 && !isStrings(statement[given[0]]))
        problems.push(`${where}.${given[0]} must be a string or strings`);
    }
    if (
      statement.Condition !== undefined &&
      !(
        isObject(statement.Condition) &&
        Object.values(statement.Condition).every(isObject)
      )
    )
      problems.push(`${where}.Condition must map operators to keys`);
  });
  return problems;
}

/** A policy's document: given inline, or read from its JSON file. */
function readPolicyDocument(document: unknown, where: string): unknown {
  if (typeof document !== 'string') return document;
  const path = resolve(process.cwd(), document);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new Error(
      `${where}: cannot read ${path}: ${(error as Error).message}`,
    );
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new Error(
      `${where}: ${path} is not valid JSON: ${(error as Error).message}`,
    );
  }
}

/** The environment a target names, if any. */
export function environmentOfTarget(target: PolicyTarget): string | undefined {
  if (target === 'platform') return undefined;
  return 'environment' in target ? target.environment : target.regionOusOf;
}

/** Where each target of a policy is attached, as one key per OU kind: platform, an environment, its region OUs. */
function targetKey(target: PolicyTarget): string {
  if (target === 'platform') return 'the platform OU';
  return 'environment' in target
    ? `the environment OU ${target.environment}`
    : `each region OU of ${target.regionOusOf}`;
}

/** Reads each declared SCP's document and checks the SCPs against what AWS allows. */
function checkPolicies(
  value: ParsedConfig,
  problems: string[],
): PolicyConfig[] {
  unique(value.policies, p => p.name, 'policies', problems);
  const environments = value.environments.map(e => e.name);
  const perTarget = new Map<string, string[]>();
  return value.policies.map((policy, index) => {
    const where = `accountMinting.policies.${index}`;
    let content = '';
    try {
      const document = readPolicyDocument(policy.document, `${where}.document`);
      const wrong = scpDocumentProblems(document);
      wrong.forEach(p =>
        problems.push(`${where}.document: not an IAM policy document: ${p}`),
      );
      content = JSON.stringify(document);
      if (wrong.length === 0 && content.length > SCP_MAX_CHARACTERS)
        problems.push(
          `${where}.document: ${content.length} characters minified, more than the ${SCP_MAX_CHARACTERS} AWS allows in an SCP`,
        );
    } catch (error) {
      problems.push((error as Error).message);
    }
    policy.targets.forEach((target, t) => {
      const environment = environmentOfTarget(target);
      if (environment !== undefined && !environments.includes(environment)) {
        problems.push(
          `${where}.targets.${t}: unknown environment ${environment}; one of ${environments.join(
            ', ',
          )}`,
        );
        return;
      }
      const key = targetKey(target);
      const names = [...(perTarget.get(key) ?? []), policy.name];
      perTarget.set(key, names);
      if (names.length === SCP_MAX_DECLARED_PER_TARGET + 1)
        problems.push(
          `${where}.targets.${t}: ${
            names.length
          } policies on ${key} (${names.join(
            ', ',
          )}) and FullAWSAccess are more than the 5 SCPs AWS allows on one target`,
        );
    });
    return {
      name: policy.name,
      description: policy.description ?? '',
      content,
      targets: policy.targets,
    };
  });
}

/**
 * Reads and checks `accountMinting` at start.
 * @throws Error listing every key that breaks a rule, and the rule.
 */
export function readMintingConfig(config: Config): MintingConfig {
  const raw = config.getOptional('accountMinting');
  if (raw === undefined) {
    throw new Error(
      'accountMinting: missing; the plugin needs its payers, environments and account roles',
    );
  }
  const parsed = mintingConfigSchema.safeParse(raw);
  if (!parsed.success) {
    throw new Error(
      `Invalid account-minting configuration:\n  ${issues(parsed.error).join(
        '\n  ',
      )}`,
    );
  }
  const problems: string[] = [];
  const value: ParsedConfig = parsed.data;
  unique(value.payers, p => p.name, 'payers', problems);
  unique(value.payers, p => p.accountId, 'payers', problems);
  unique(value.environments, e => e.name, 'environments', problems);
  unique(value.accountRoles, r => r.name, 'accountRoles', problems);
  unique(value.accountRoles, r => r.suffix, 'accountRoles', problems);
  const environments = value.environments.map((environment, index) => {
    if (!value.payers.some(p => p.name === environment.payer)) {
      problems.push(
        `accountMinting.environments.${index}.payer: unknown payer ${
          environment.payer
        }; one of ${value.payers.map(p => p.name).join(', ')}`,
      );
    }
    try {
      validateRegionOuPattern(
        environment.regionOu,
        `accountMinting.environments.${index}.regionOu`,
      );
    } catch (error) {
      problems.push((error as Error).message);
    }
    return {
      ...environment,
      needsOwner: patternNeedsOwner(environment.regionOu),
      drift: environment.drift ?? defaultDriftPolicy(environment.name),
    };
  });
  value.accountRoles.forEach((role, index) => {
    unique(
      role.provision,
      s => s.name,
      `accountRoles.${index}.provision`,
      problems,
    );
    if (role.provision.length > 0 && !value.provision) {
      problems.push(
        `accountMinting.provision: needed by accountRoles.${index}.provision, for the state bucket`,
      );
    }
    if (role.count > role.maxCount) {
      problems.push(
        `accountMinting.accountRoles.${index}.count: ${role.count} is more than its maxCount ${role.maxCount}`,
      );
    }
    if (role.count < role.minCount) {
      problems.push(
        `accountMinting.accountRoles.${index}.count: ${role.count} is less than its minCount ${role.minCount}`,
      );
    }
  });
  unique(value.regionSteps, s => s.name, 'regionSteps', problems);
  if (value.regionSteps.length > 0 && !value.provision) {
    problems.push(
      'accountMinting.provision: needed by regionSteps, for the state bucket',
    );
  }
  const policies = checkPolicies(value, problems);
  const result: MintingConfig = { ...value, environments, policies };
  if (problems.length === 0) {
    const view = configView(result);
    value.regions.forEach((region: RegionRequest, index) => {
      const checked = validateRegionRequest(region, view);
      if (!checked.ok) {
        for (const message of Object.values(checked.errors)) {
          problems.push(`accountMinting.regions.${index}: ${message}`);
        }
      }
    });
  }
  if (problems.length > 0) {
    throw new Error(
      `Invalid account-minting configuration:\n  ${problems.join('\n  ')}`,
    );
  }
  return result;
}
