import { resolve } from 'node:path';
import { profileNamed } from './profiles';
import { loadSeedFile } from './seed/loadSeed';
import { defaultSeedPath } from './seed/defaultSeed';
import { startSandbox } from './server';

const USAGE =
  'usage: aws-sandbox [--port N] [--host ADDRESS] [--profile instant|realistic] [--time-scale X] [--seed FILE] [--state FILE]';

interface CliOptions {
  port: number;
  host: string;
  profile: string;
  timeScale: number;
  seed?: string;
  state?: string;
}

/** Reads the command line. @throws Error naming the flag and its rule. */
export function parseArgs(argv: string[]): CliOptions {
  const options: CliOptions = {
    port: 4566,
    host: '127.0.0.1',
    profile: 'instant',
    timeScale: 1,
  };
  for (let i = 0; i < argv.length; i += 2) {
    const [flag, value] = [argv[i], argv[i + 1]];
    if (value === undefined || value.startsWith('--')) {
      throw new Error(`${flag}: needs a value\n${USAGE}`);
    }
    switch (flag) {
      case '--port': {
        const port = Number(value);
        if (!Number.isInteger(port) || port < 0 || port > 65535) {
          throw new Error(
            `--port: must be a whole number from 0 to 65535 (got ${value})`,
          );
        }
        options.port = port;
        break;
      }
      case '--host':
        options.host = value;
        break;
      case '--profile':
        profileNamed(value);
        options.profile = value;
        break;
      case '--time-scale': {
        const scale = Number(value);
        if (!(scale > 0) || !Number.isFinite(scale)) {
          throw new Error(
            `--time-scale: must be a positive number (got ${value})`,
          );
        }
        options.timeScale = scale;
        break;
      }
      case '--seed':
        options.seed = resolve(value);
        break;
      case '--state':
        options.state = resolve(value);
        break;
      default:
        throw new Error(`unknown option ${flag}\n${USAGE}`);
    }
  }
  return options;
}

/** The `aws-sandbox` command: serves the sandbox until it is stopped. */
export async function main(argv: string[]): Promise<void> {
  try {
    const options = parseArgs(argv);
    const seedPath = options.seed ?? defaultSeedPath();
    const sandbox = await startSandbox({
      port: options.port,
      host: options.host,
      seed: loadSeedFile(seedPath),
      profile: profileNamed(options.profile),
      timeScale: options.timeScale,
      stateFile: options.state,
    });
    process.stdout.write(
      `aws-sandbox listening on ${sandbox.endpoint} (profile ${
        options.profile
      }, time scale ${options.timeScale}, seed ${seedPath}${
        options.state ? `, state ${options.state}` : ''
      })\n`,
    );
    const stop = () => sandbox.close().then(() => process.exit(0));
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  } catch (error) {
    process.stderr.write(`aws-sandbox: ${(error as Error).message}\n`);
    process.exit(2);
  }
}
