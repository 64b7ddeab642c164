import {
  defaultSeed,
  RunningSandbox,
  Sandbox,
  startSandbox,
} from '@regional-minting/aws-sandbox';
import { testDatabases } from '../testUtils/databases';
import { startMintingBackend } from '../testUtils/mintingBackend';

const databases = testDatabases();

jest.setTimeout(180_000);

const REGION = 'dev-pete-eu-west-1';

/**
 * Makes AWS carry out the first `count` calls of `operation` and lose their answers,
 * as a connection that drops after the request arrived does.
 */
function loseAnswers(sandbox: Sandbox, operation: string, count: number) {
  const invoke = Object.getPrototypeOf(sandbox).invoke as Sandbox['invoke'];
  let left = count;
  sandbox.invoke = async function lossy(this: Sandbox, ...args) {
    const answer = await invoke.apply(this, args);
    if (args[1] === operation && left > 0) {
      left -= 1;
      throw new Error(`the answer of ${operation} was lost`);
    }
    return answer;
  };
}

describe.each(databases.eachSupportedId())(
  'a decommission under failure on %s',
  id => {
    let sandbox: RunningSandbox;
    afterEach(() => sandbox?.close());

    it('starts one run when two replicas are asked at once, and closes no account twice when CloseAccount answers are lost', async () => {
      sandbox = await startSandbox({ port: 0, seed: defaultSeed() });
      const knex = await databases.init(id);
      const first = await startMintingBackend({ knex, sandbox });
      const second = await startMintingBackend({ knex, sandbox });
      try {
        const minted = await first.regionRun({
          environment: 'dev',
          region: 'eu-west-1',
          owner: 'pete',
        });
        expect(minted.status).toBe('succeeded');
        loseAnswers(sandbox.sandbox, 'CloseAccount', 2);
        sandbox.sandbox.calls.clear();

        const [a, b] = await Promise.all([
          first.api('post', `/regions/${REGION}/decommission`).send({}),
          second.api('post', `/regions/${REGION}/decommission`).send({}),
        ]);
        expect([a.status, b.status]).toEqual([202, 202]);
        expect(a.body.id).toBe(b.body.id);
        const run = await first.finished(a.body.id);
        expect(run.status).toBe('succeeded');

        // Each account was closed once; the call repeated after a lost answer was told
        // AccountAlreadyClosedException, which is taken as done, not as a failure.
        const closes = sandbox.sandbox.calls
          .list()
          .filter(c => c.operation === 'CloseAccount');
        expect(closes.filter(c => !c.error)).toHaveLength(3);
        expect(closes.filter(c => c.error).map(c => c.error)).toEqual([
          'AccountAlreadyClosedException',
          'AccountAlreadyClosedException',
        ]);
        expect(
          [...sandbox.sandbox.state.accounts.values()]
            .filter(x => x.name.startsWith(REGION))
            .map(x => x.status),
        ).toEqual(['SUSPENDED', 'SUSPENDED', 'SUSPENDED']);
        // The close quota counts each closure once.
        const ledger = await knex('account_closures').where({
          payer: 'staging-2',
        });
        expect(ledger).toHaveLength(3);
      } finally {
        await first.stop();
        await second.stop();
      }
    });
  },
);
