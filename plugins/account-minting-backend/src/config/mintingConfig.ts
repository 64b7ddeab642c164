import { Config } from '@backstage/config';
import {
  MintingConfigView,
  patternNeedsOwner,
  RegionRequest,
  validateRegionOuPattern,
  validateRegionRequest,
} from '@regional-minting/plugin-account-minting-common';
import { z, ZodError } from 'zod/v3';

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

const provisionStep = z.object({
  name: z
    .string()
    .regex(
      /^[a-z][a-z0-9-]{0,40}$/,
      'must be lower-case letters, digits and hyphens',
    ),
  provisioner: z.string().min(1),
  options: z.record(z.unknown()).default({}),
  timeoutSeconds: z.number().min(1).max(86_400).default(3600),
});

const schema = z.object({
  aws: z
    .object({
      endpoint: z
        .string()
        .url('must be a URL such as http://127.0.0.1:4566')
        .optional(),
      region: z.string().default('us-east-1'),
    })
    .default({}),
  platformOu: z.string().min(1).max(128).default('rosa-regional-platform'),
  accountEmail: z
    .string()
    .refine(
      v => v.includes('{account}'),
      'must contain {account}, so that every account has its own email',
    )
    .refine(
      v => /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(v.replace('{account}', 'x')),
      'must be an email address template such as aws+{account}@example.com',
    ),
  tags: tags.default({}),
  payers: z
    .array(
      z.object({
        name,
        accountId: z
          .string()
          .regex(/^\d{12}$/, 'must be a 12-digit account id'),
        mintRoleArn: roleArn,
        bootstrapRoleArn: roleArn.optional(),
        externalId: z.string().min(2).max(1224).optional(),
      }),
    )
    .min(1, 'needs at least one payer'),
  environments: z
    .array(
      z.object({
        name,
        payer: z.string(),
        regionOu: z.string().default('{environment}-{region}'),
        regions: z
          .array(
            z
              .string()
              .regex(
                /^[a-z]{2}(?:-gov)?-[a-z]+-\d+$/,
                'must be AWS region codes such as us-east-1',
              ),
          )
          .min(1, 'needs at least one region'),
        /** What scheduled drift checks do with what they find; see driftPolicyOf. */
        drift: z.enum(['report', 'repair']).optional(),
      }),
    )
    .min(1, 'needs at least one environment'),
  accountRoles: z
    .array(
      z.object({
        name,
        suffix: z
          .string()
          .regex(
            /^[a-z][a-z0-9]{0,9}$/,
            'must be up to 10 lower-case letters and digits',
          ),
        count: z.number().int().min(0),
        maxCount: z.number().int().min(0).max(50).default(10),
        tags: tags.default({}),
        provision: z.array(provisionStep).default([]),
      }),
    )
    .min(1, 'needs at least one account role'),
  bootstrap: z
    .object({
      accessRoleName: z
        .string()
        .regex(/^[\w+=,.@-]{1,64}$/, 'must be an IAM role name')
        .default('OrganizationAccountAccessRole'),
      readinessTimeoutSeconds: z.number().min(1).max(86_400).default(900),
      provisioningRole: z.object({
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
          ),
        externalId: z.string().min(2).max(1224).optional(),
        principalOrgPaths: z.array(z.string().min(1)).optional(),
        permissionsBoundaryArn: z
          .string()
          .regex(
            /^arn:aws[a-z-]*:iam::(\d{12}|aws):policy\/.+$/,
            'must be an IAM policy ARN',
          )
          .optional(),
        managedPolicyArns: z
          .array(
            z
              .string()
              .regex(
                /^arn:aws[a-z-]*:iam::(\d{12}|aws):policy\/.+$/,
                'must be IAM policy ARNs',
              ),
          )
          .default([]),
        inlinePolicies: z.record(z.record(z.unknown())).default({}),
        maxSessionDuration: z.number().int().min(3600).max(43200).default(3600),
      }),
    })
    .optional(),
  regionSteps: z.array(provisionStep).default([]),
  provision: z
    .object({
      stateBucket: z
        .string()
        .regex(
          /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/,
          'must be an S3 bucket name',
        ),
      stateRegion: z.string().optional(),
      maxConcurrentSteps: z.number().int().min(1).max(200).default(10),
    })
    .optional(),
  engine: z
    .object({
      concurrency: z.number().int().min(1).max(200).default(20),
      leaseSeconds: z.number().min(1).max(3600).default(30),
      pollIntervalMs: z.number().int().min(10).max(60_000).default(1000),
      callsPerPayer: z.number().int().min(1).max(50).default(8),
      callsPerSecond: z.number().min(0.1).max(1000).default(8),
      creationPollMs: z
        .object({
          min: z.number().min(1).default(2000),
          max: z.number().min(1).default(30_000),
        })
        .default({}),
      retries: z
        .object({
          attempts: z.number().int().min(1).max(20).default(8),
          baseDelayMs: z.number().min(1).default(200),
          maxDelayMs: z.number().min(1).default(20_000),
        })
        .default({}),
      maxStepAttempts: z.number().int().min(1).max(100).default(10),
    })
    .default({}),
  drift: z
    .object({
      /** Per pipeline: when its scheduled drift check runs (Backstage schedule config, read by the plugin). */
      schedules: z
        .record(z.enum(['mint', 'bootstrap', 'provision']), z.unknown())
        .default({}),
      /** An entity ref of a group told of new findings and failed runs, besides each region's requester. */
      notifyGroup: z
        .string()
        .regex(
          /^group:[^/\s]+\/[^\s]+$|^group:[^/\s]+$/,
          'must be a group entity ref such as group:default/platform-sre',
        )
        .optional(),
      /** Accounts a check looks into at once in each payer (bootstrap and provision checks). */
      accountConcurrency: z.number().int().min(1).max(50).default(8),
    })
    .default({}),
  regions: z
    .array(
      z.object({
        environment: z.string(),
        region: z.string(),
        owner: z.string().optional(),
        accountRoles: z.record(z.number()).optional(),
      }),
    )
    .default([]),
});

type ParsedConfig = z.infer<typeof schema>;
export type MintingConfig = Omit<ParsedConfig, 'environments'> & {
  environments: (Omit<ParsedConfig['environments'][number], 'drift'> & {
    needsOwner: boolean;
    drift: 'report' | 'repair';
  })[];
};

/** Production environments report drift for people to look at; the others are repaired by the engine. */
export function defaultDriftPolicy(environment: string): 'report' | 'repair' {
  return environment.startsWith('prod') ? 'report' : 'repair';
}
export type PayerConfig = MintingConfig['payers'][number];
export type EnvironmentConfig = MintingConfig['environments'][number];
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
  return error.issues.map(
    i => `accountMinting.${i.path.join('.')}: ${i.message}`,
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
    })),
    accountRoles: config.accountRoles.map(r => ({
      name: r.name,
      suffix: r.suffix,
      count: r.count,
      maxCount: r.maxCount,
    })),
  };
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
  const parsed = schema.safeParse(raw);
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
  });
  unique(value.regionSteps, s => s.name, 'regionSteps', problems);
  if (value.regionSteps.length > 0 && !value.provision) {
    problems.push(
      'accountMinting.provision: needed by regionSteps, for the state bucket',
    );
  }
  const result: MintingConfig = { ...value, environments };
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
