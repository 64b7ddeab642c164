import { InputError } from '@backstage/errors';
import { JsonObject } from '@backstage/types';
import {
  ProvisionContext,
  Provisioner,
} from '@regional-minting/plugin-account-minting-node';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { awsEnvironment, runProcess } from './runProcess';

/** A program to run and how: the step's apply command, or its destroy command. */
interface Command {
  command: string;
  args: string[];
  cwd?: string;
  env: Record<string, string>;
}

interface CommandOptions extends Command {
  /** What undoes the step when its region is decommissioned; without it the step is left in place. */
  destroy?: Command;
}

/** Checks a command's options at `field` of the step's configuration, such as `options.destroy`. */
function parseCommand(value: Record<string, unknown>, field: string): Command {
  const { command: program, args = [], cwd, env = {} } = value;
  if (typeof program !== 'string' || !program)
    throw new InputError(`${field}.command: the program to run is required`);
  if (!Array.isArray(args) || args.some(a => typeof a !== 'string'))
    throw new InputError(`${field}.args: must be a list of strings`);
  if (cwd !== undefined && typeof cwd !== 'string')
    throw new InputError(`${field}.cwd: must be a directory path`);
  if (
    typeof env !== 'object' ||
    env === null ||
    Object.values(env).some(v => typeof v !== 'string')
  ) {
    throw new InputError(`${field}.env: must map names to strings`);
  }
  return {
    command: program,
    args: args as string[],
    cwd,
    env: env as Record<string, string>,
  };
}

// Checks the destroy command with the apply command, so that a mistake in it fails the step's
// provisioning instead of waiting for the region's decommissioning.
function commandOptions(options: JsonObject): CommandOptions {
  const { destroy } = options;
  if (
    destroy !== undefined &&
    (typeof destroy !== 'object' || destroy === null || Array.isArray(destroy))
  ) {
    throw new InputError(
      'options.destroy: must be an object with the command that destroys the step',
    );
  }
  return {
    ...parseCommand(options, 'options'),
    destroy: destroy && parseCommand(destroy, 'options.destroy'),
  };
}

/** The destroy command runs where the apply command runs, with its env, unless it sets its own. */
function destroyCommand(options: CommandOptions): Command {
  if (!options.destroy) {
    throw new InputError(
      'options.destroy: this step has no destroy command; it is left in place',
    );
  }
  return {
    ...options.destroy,
    cwd: options.destroy.cwd ?? options.cwd,
    env: { ...options.env, ...options.destroy.env },
  };
}

/**
 * The environment of the command: the step's credentials and context, what it is asked to do,
 * and nothing else of the backend's.
 */
function commandEnvironment(
  ctx: ProvisionContext,
  run: Command,
  action: 'apply' | 'destroy',
  outputsFile?: string,
): NodeJS.ProcessEnv {
  return {
    ...run.env,
    ...awsEnvironment(ctx),
    ACCOUNT_MINTING_ACTION: action,
    ACCOUNT_MINTING_STATE_BUCKET: ctx.state.bucket,
    ACCOUNT_MINTING_STATE_KEY: ctx.state.key,
    ACCOUNT_MINTING_CONTEXT: JSON.stringify({
      target: ctx.target,
      stepName: ctx.stepName,
      options: ctx.options,
      state: ctx.state,
      previousOutputs: ctx.previousOutputs,
    }),
    ...(outputsFile ? { ACCOUNT_MINTING_OUTPUTS: outputsFile } : {}),
  };
}

async function runCommand(
  ctx: ProvisionContext,
  run: Command,
  env: NodeJS.ProcessEnv,
) {
  const { code } = await runProcess({
    command: run.command,
    args: run.args,
    cwd: run.cwd,
    env,
    signal: ctx.signal,
    log: ctx.log,
  });
  if (code !== 0) throw new Error(`${run.command} exited with ${code}`);
}

async function readOutputs(file: string): Promise<JsonObject> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    return {};
  }
  const outputs = JSON.parse(text);
  if (
    typeof outputs !== 'object' ||
    outputs === null ||
    Array.isArray(outputs)
  ) {
    throw new Error('the command wrote outputs that are not a JSON object');
  }
  return outputs;
}

/**
 * `command`: runs a program with the step's credentials and context in its environment
 * (`ACCOUNT_MINTING_ACTION=apply`), streams its output into the step's log, kills it on cancel
 * or timeout, and takes its outputs from the JSON object it writes to $ACCOUNT_MINTING_OUTPUTS.
 * Destroy runs `options.destroy` the same way with `ACCOUNT_MINTING_ACTION=destroy` and no
 * outputs file; steps without it cannot be destroyed (see `canDestroy`), and the command itself
 * must succeed when there is nothing left to destroy.
 */
export const commandProvisioner: Provisioner = {
  name: 'command',
  async provision(ctx) {
    const options = commandOptions(ctx.options);
    const dir = await mkdtemp(join(tmpdir(), 'account-minting-'));
    const outputsFile = join(dir, 'outputs.json');
    try {
      await runCommand(
        ctx,
        options,
        commandEnvironment(ctx, options, 'apply', outputsFile),
      );
      return await readOutputs(outputsFile);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  },
  canDestroy(ctx) {
    return ctx.options.destroy !== undefined;
  },
  async destroy(ctx) {
    const run = destroyCommand(commandOptions(ctx.options));
    await runCommand(ctx, run, commandEnvironment(ctx, run, 'destroy'));
  },
};
