import { startSandbox } from './server';
import { CENTRAL_ACCOUNT } from './seed';

const USAGE = 'usage: aws-sandbox [--port N] [--host ADDRESS]';

function parseArgs(argv: string[]): { port: number; host: string } {
  const options = { port: 4566, host: '127.0.0.1' };
  for (let i = 0; i < argv.length; i += 2) {
    const [flag, value] = [argv[i], argv[i + 1]];
    if (flag === '--port') {
      const port = Number(value);
      if (!Number.isInteger(port) || port < 0 || port > 65535) {
        throw new Error(
          `--port: must be a whole number from 0 to 65535 (got ${value})`,
        );
      }
      options.port = port;
    } else if (flag === '--host' && value) {
      options.host = value;
    } else {
      throw new Error(`unknown option ${flag}\n${USAGE}`);
    }
  }
  return options;
}

/** The `aws-sandbox` command: serves the sandbox until it is stopped. */
export async function main(argv: string[]): Promise<void> {
  let options;
  try {
    options = parseArgs(argv);
  } catch (error) {
    process.stderr.write(`aws-sandbox: ${(error as Error).message}\n`);
    process.exit(2);
  }
  const sandbox = await startSandbox(options);
  process.stdout.write(
    `aws-sandbox listening on ${sandbox.endpoint} (central account ${CENTRAL_ACCOUNT.accountId}, access key ${CENTRAL_ACCOUNT.accessKeyId})\n`,
  );
  const stop = () => sandbox.close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}
