import {
  defaultSeed,
  RunningSandbox,
  Sandbox,
  startSandbox,
} from '@regional-minting/aws-sandbox';
import { testDatabases } from '../testUtils/databases';
import { holdCalls } from '../testUtils/holdCalls';
import { waitFor } from '../testUtils/waitFor';
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

    it('reports no stray accounts for the accounts a decommission is moving out', async () => {
      sandbox = await startSandbox({ port: 0, seed: defaultSeed() });
      const minting = await startMintingBackend({
        knex: await databases.init(id),
        sandbox,
      });
      try {
        const minted = await minting.regionRun({
          environment: 'dev',
          region: 'eu-west-1',
          owner: 'pete',
        });
        expect(minted.status).toBe('succeeded');
        // The accounts stay in the region OU, out of the desired state, while their moves are held.
        const moves = holdCalls(sandbox.sandbox, 'MoveAccount');
        const started = await minting
          .api('post', `/regions/${REGION}/decommission`)
          .send({});
        await waitFor('the three moves to the closed OU', async () =>
          moves.waiting() === 3 ? true : undefined,
        );
        const check = await minting
          .api('post', '/drift/checks')
          .send({ pipeline: 'mint' });
        expect((await minting.finished(check.body.id)).status).toBe(
          'succeeded',
        );
        const findings = await minting.api('get', `/drift?region=${REGION}`);
        expect(findings.body.items).toEqual([]);
        moves.release();
        expect((await minting.finished(started.body.id)).status).toBe(
          'succeeded',
        );
      } finally {
        await minting.stop();
      }
    });
  },
);
