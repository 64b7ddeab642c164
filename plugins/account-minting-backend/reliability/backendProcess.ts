// A real Backstage backend with only the account-minting plugin, as its own OS process, so that the
// reliability experiments can kill it (SIGKILL) and start it again on the same database.
//   node --require @backstage/cli/config/nodeTransform.cjs reliability/backendProcess.ts --config FILE
// The harness writes FILE (see startBackend in harness.ts): the port, the database, the sandbox's endpoint
// and the accountMinting section. Requests need no token (backend.auth.dangerouslyDisableDefaultAuthPolicy)
// and every permission is allowed (permission.enabled: false); notifications, signals and events use their
// default services.
import { createBackend } from '@backstage/backend-defaults';

const backend = createBackend();
backend.add(import('../src'));
backend.start().catch(error => {
  process.stderr.write(`the backend did not start: ${error?.stack ?? error}\n`);
  process.exit(1);
});
