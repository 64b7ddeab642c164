import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';

// After SIGTERM on cancel or timeout, how long a process has to stop before SIGKILL.
const KILL_GRACE_MS = 5000;

export interface ProcessOptions {
  command: string;
  args: string[];
  cwd?: string;
  env: NodeJS.ProcessEnv;
  signal: AbortSignal;
  /** Receives each line the process writes, stdout and stderr alike. */
  log(line: string): void;
  /** Keeps stdout instead of logging it, for output meant for the caller (such as JSON). */
  captureStdout?: boolean;
}

/** Runs a process to its end, killing it on abort; resolves with its exit code and any captured stdout. */
export async function runProcess(
  options: ProcessOptions,
): Promise<{ code: number | null; stdout: string }> {
  const child = spawn(options.command, options.args, {
    cwd: options.cwd,
    env: options.env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const captured: string[] = [];
  createInterface({ input: child.stdout! }).on('line', line =>
    options.captureStdout ? captured.push(line) : options.log(line),
  );
  createInterface({ input: child.stderr! }).on('line', line =>
    options.log(line),
  );
  const stop = () => {
    child.kill('SIGTERM');
    setTimeout(() => child.kill('SIGKILL'), KILL_GRACE_MS).unref();
  };
  options.signal.addEventListener('abort', stop, { once: true });
  try {
    const code = await new Promise<number | null>((resolve, reject) => {
      child.once('error', reject);
      child.once('close', resolve);
    });
    if (options.signal.aborted) {
      throw new Error(
        `${options.command} was stopped: ${
          (options.signal.reason as Error)?.message ?? 'aborted'
        }`,
      );
    }
    return { code, stdout: captured.join('\n') };
  } finally {
    options.signal.removeEventListener('abort', stop);
  }
}

/** The step's AWS credentials and region as the AWS tools read them from the environment. */
export function awsEnvironment(ctx: {
  credentials: {
    accessKeyId: string;
    secretAccessKey: string;
    sessionToken?: string;
  };
  aws: { region: string; endpoint?: string };
}): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    AWS_ACCESS_KEY_ID: ctx.credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: ctx.credentials.secretAccessKey,
    ...(ctx.credentials.sessionToken
      ? { AWS_SESSION_TOKEN: ctx.credentials.sessionToken }
      : {}),
    AWS_REGION: ctx.aws.region,
    ...(ctx.aws.endpoint ? { AWS_ENDPOINT_URL: ctx.aws.endpoint } : {}),
  };
}
