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

interface CommandOptions {
  command: string;
  args: string[];
  cwd?: string;
  env: Record<string, string>;
}

function commandOptions(options: JsonObject): CommandOptions {
  const {
    command,
    args = [],
    cwd,
    env = {},
  } = options as Record<string, unknown>;
  if (typeof command !== 'string' || !command)
    throw new InputError('options.command: the program to run is required');
  if (!Array.isArray(args) || args.some(a => typeof a !== 'string'))
    throw new InputError('options.args: must be a list of strings');
  if (cwd !== undefined && typeof cwd !== 'string')
    throw new InputError('options.cwd: must be a directory path');
  if (
    typeof env !== 'object' ||
    env === null ||
    Object.values(env).some(v => typeof v !== 'string')
  ) {
    throw new InputError('options.env: must map names to strings');
  }
  return {
    command,
    args: args as string[],
    cwd,
    env: env as Record<string, string>,
  };
}

/** The environment of the command: the step's credentials and context, and nothing else of the backend's. */
function commandEnvironment(
  ctx: ProvisionContext,
  options: CommandOptions,
  outputsFile: string,
): NodeJS.ProcessEnv {
  return {
    ...options.env,
    ...awsEnvironment(ctx),
    ACCOUNT_MINTING_STATE_BUCKET: ctx.state.bucket,
    ACCOUNT_MINTING_STATE_KEY: ctx.state.key,
    ACCOUNT_MINTING_CONTEXT: JSON.stringify({
      target: ctx.target,
      stepName: ctx.stepName,
      options: ctx.options,
      state: ctx.state,
      previousOutputs: ctx.previousOutputs,
    }),
    ACCOUNT_MINTING_OUTPUTS: outputsFile,
  };
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
 * `command`: runs a program with the step's credentials and context in its environment,
 * streams its output into the step's log, kills it on cancel or timeout, and takes its
 * outputs from the JSON object it writes to $ACCOUNT_MINTING_OUTPUTS.
 */
export const commandProvisioner: Provisioner = {
  name: 'command',
  async provision(ctx) {
    const options = commandOptions(ctx.options);
    const dir = await mkdtemp(join(tmpdir(), 'account-minting-'));
    const outputsFile = join(dir, 'outputs.json');
    try {
      const { code } = await runProcess({
        command: options.command,
        args: options.args,
        cwd: options.cwd,
        env: commandEnvironment(ctx, options, outputsFile),
        signal: ctx.signal,
        log: ctx.log,
      });
      if (code !== 0) throw new Error(`${options.command} exited with ${code}`);
      return await readOutputs(outputsFile);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  },
};
