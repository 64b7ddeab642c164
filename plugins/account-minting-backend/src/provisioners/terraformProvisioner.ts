import { InputError } from '@backstage/errors';
import { JsonObject } from '@backstage/types';
import {
  ProvisionContext,
  ProvisionDrift,
  Provisioner,
} from '@regional-minting/plugin-account-minting-node';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { awsEnvironment, runProcess } from './runProcess';

interface TerraformOptions {
  /** The root module's directory. */
  directory: string;
  /** The terraform executable. Default terraform on the PATH. */
  binary: string;
  /** Input variables, passed with -var. */
  vars: Record<string, string>;
  /** More environment, such as TF_LOG; the backend's own environment is not passed on. */
  env: Record<string, string>;
}

const isStringMap = (value: unknown) =>
  typeof value === 'object' &&
  value !== null &&
  Object.values(value).every(v => typeof v === 'string');

function terraformOptions(options: JsonObject): TerraformOptions {
  const {
    directory,
    binary = 'terraform',
    vars = {},
    env = {},
  } = options as Record<string, unknown>;
  if (typeof directory !== 'string' || !directory)
    throw new InputError(
      'options.directory: the Terraform module directory is required',
    );
  if (typeof binary !== 'string')
    throw new InputError(
      'options.binary: must be the path of the terraform executable',
    );
  if (!isStringMap(vars))
    throw new InputError('options.vars: must map variable names to strings');
  if (!isStringMap(env))
    throw new InputError('options.env: must map names to strings');
  return {
    directory,
    binary,
    vars: vars as Record<string, string>,
    env: env as Record<string, string>,
  };
}

/** The S3 backend for the step's state key, pointed at the configured endpoint when there is one (the sandbox). */
function backendConfig(ctx: ProvisionContext): string[] {
  const config = [
    `bucket=${ctx.state.bucket}`,
    `key=${ctx.state.key}`,
    `region=${ctx.state.region}`,
  ];
  if (ctx.aws.endpoint) {
    config.push(
      `endpoints={s3="${ctx.aws.endpoint}",sts="${ctx.aws.endpoint}",iam="${ctx.aws.endpoint}"}`,
      'use_path_style=true',
      'skip_credentials_validation=true',
      'skip_requesting_account_id=true',
    );
  }
  return config.map(c => `-backend-config=${c}`);
}

/** Runs one terraform command in the module; its data directory is the step's own, so steps never share one. */
async function terraform(
  ctx: ProvisionContext,
  options: TerraformOptions,
  dataDir: string,
  args: string[],
  captureStdout = false,
) {
  return runProcess({
    command: options.binary,
    args: [`-chdir=${options.directory}`, ...args],
    env: {
      ...options.env,
      ...awsEnvironment(ctx),
      TF_DATA_DIR: join(dataDir, '.terraform'),
      TF_IN_AUTOMATION: '1',
      TF_INPUT: '0',
    },
    signal: ctx.signal,
    log: ctx.log,
    captureStdout,
  });
}

/** Init with the S3 backend at the step's state key. */
async function init(
  ctx: ProvisionContext,
  options: TerraformOptions,
  dataDir: string,
) {
  const result = await terraform(ctx, options, dataDir, [
    'init',
    '-input=false',
    '-reconfigure',
    ...backendConfig(ctx),
  ]);
  if (result.code !== 0)
    throw new Error(`terraform init exited with ${result.code}`);
}

/** The module's input variables as -var arguments, the same for plan and destroy. */
const varArgs = (options: TerraformOptions) =>
  Object.entries(options.vars).flatMap(([k, v]) => ['-var', `${k}=${v}`]);

/** Init and plan; `changes` when plan -detailed-exitcode says there is something to apply (exit 2). */
async function initAndPlan(
  ctx: ProvisionContext,
  options: TerraformOptions,
  dataDir: string,
  planFile: string,
) {
  await init(ctx, options, dataDir);
  const plan = await terraform(ctx, options, dataDir, [
    'plan',
    '-input=false',
    '-detailed-exitcode',
    `-out=${planFile}`,
    ...varArgs(options),
  ]);
  if (plan.code !== 0 && plan.code !== 2)
    throw new Error(`terraform plan exited with ${plan.code}`);
  return { changes: plan.code === 2 };
}

/** Counts the plan's resource changes by action, from show -json. */
async function planSummary(
  ctx: ProvisionContext,
  options: TerraformOptions,
  dataDir: string,
  planFile: string,
) {
  const shown = await terraform(
    ctx,
    options,
    dataDir,
    ['show', '-json', planFile],
    true,
  );
  if (shown.code !== 0)
    throw new Error(`terraform show exited with ${shown.code}`);
  const counts: Record<string, number> = {};
  for (const change of JSON.parse(shown.stdout).resource_changes ?? []) {
    for (const action of change.change?.actions ?? []) {
      if (action !== 'no-op' && action !== 'read')
        counts[action] = (counts[action] ?? 0) + 1;
    }
  }
  return counts;
}

async function withDataDir<T>(
  run: (dataDir: string, planFile: string) => Promise<T>,
): Promise<T> {
  const dataDir = await mkdtemp(join(tmpdir(), 'account-minting-tf-'));
  try {
    return await run(dataDir, join(dataDir, 'step.tfplan'));
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
}

const describe = (counts: Record<string, number>) =>
  Object.entries(counts)
    .map(([action, n]) => `${n} to ${action}`)
    .join(', ') || 'no changes';

/**
 * `terraform`: init with the S3 backend at the step's state key, plan -detailed-exitcode
 * -out, apply of that plan when it has changes (nothing at all otherwise), and the
 * module's outputs. Its plan-only mode reports drift when plan exits 2. Destroy inits the
 * same backend and runs destroy -auto-approve with the same variables, which succeeds on an
 * empty state too.
 */
export const terraformProvisioner: Provisioner = {
  name: 'terraform',
  async provision(ctx) {
    const options = terraformOptions(ctx.options);
    return withDataDir(async (dataDir, planFile) => {
      const { changes } = await initAndPlan(ctx, options, dataDir, planFile);
      if (changes) {
        ctx.log(
          `plan: ${describe(
            await planSummary(ctx, options, dataDir, planFile),
          )}`,
        );
        const apply = await terraform(ctx, options, dataDir, [
          'apply',
          '-input=false',
          planFile,
        ]);
        if (apply.code !== 0)
          throw new Error(`terraform apply exited with ${apply.code}`);
      } else {
        ctx.log('plan: no changes; nothing applied');
      }
      const output = await terraform(
        ctx,
        options,
        dataDir,
        ['output', '-json'],
        true,
      );
      if (output.code !== 0)
        throw new Error(`terraform output exited with ${output.code}`);
      const values = JSON.parse(output.stdout || '{}') as Record<
        string,
        { value: JsonObject[string] }
      >;
      return Object.fromEntries(
        Object.entries(values).map(([name, o]) => [name, o.value]),
      );
    });
  },
  async plan(ctx): Promise<ProvisionDrift> {
    const options = terraformOptions(ctx.options);
    return withDataDir(async (dataDir, planFile) => {
      const { changes } = await initAndPlan(ctx, options, dataDir, planFile);
      if (!changes) return { drift: false, summary: 'no changes' };
      return {
        drift: true,
        summary: describe(await planSummary(ctx, options, dataDir, planFile)),
      };
    });
  },
  async destroy(ctx) {
    const options = terraformOptions(ctx.options);
    await withDataDir(async dataDir => {
      await init(ctx, options, dataDir);
      const destroy = await terraform(ctx, options, dataDir, [
        'destroy',
        '-auto-approve',
        '-input=false',
        ...varArgs(options),
      ]);
      if (destroy.code !== 0)
        throw new Error(`terraform destroy exited with ${destroy.code}`);
      ctx.log('destroy: nothing of the step is left');
    });
  },
};
