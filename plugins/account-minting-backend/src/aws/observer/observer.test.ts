import { defaultSeed, startSandbox } from '@regional-minting/aws-sandbox';
import { testDatabases } from '../../testUtils/databases';
import { holdCalls } from '../../testUtils/holdCalls';
import { startMintingBackend } from '../../testUtils/mintingBackend';
import { waitFor } from '../../testUtils/waitFor';

const databases = testDatabases();

jest.setTimeout(120_000);

const REGION = 'dev-obs-us-east-2';
const minted = { environment: 'dev', region: 'us-east-2', owner: 'obs' };

describe.each(databases.eachSupportedId())(
  "the organization's shared copy on %s",
  id => {
    it("follows the engine's own changes: what a run made is never read back", async () => {
      const sandbox = await startSandbox({ port: 0, seed: defaultSeed() });
      const minting = await startMintingBackend({
        knex: await databases.init(id),
        sandbox,
      });
      try {
        sandbox.sandbox.calls.clear();
        const run = await minting.regionRun(minted);
        expect(run.status).toBe('succeeded');
        const calls = sandbox.sandbox.calls
          .list()
          .filter(c => c.service !== 'iam');
        const count = (operation: string) =>
          calls.filter(c => c.operation === operation).length;
        // Created with their tags, in the root, then moved: nothing of it is read again.
        expect(count('ListTagsForResource')).toBe(0);
        expect(count('ListParents')).toBe(0);
        expect(count('DescribeAccount')).toBe(0);
        // Each creation described once, when it ended; the payer's two roles assumed once
        // from the central account, each session shared by every step.
        expect(count('DescribeCreateAccountStatus')).toBe(3);
        expect(
          calls.filter(
            c => c.operation === 'AssumeRole' && c.account === '100000000001',
          ),
        ).toHaveLength(2);
        const accounts = [...sandbox.sandbox.state.accounts.values()].filter(
          a => a.name.startsWith(REGION),
        );
        const regionOu = [...sandbox.sandbox.state.containers.values()].find(
          c => c.name === REGION,
        )!;
        expect(accounts.map(a => a.parentId)).toEqual([
          regionOu.id,
          regionOu.id,
          regionOu.id,
        ]);
      } finally {
        await minting.stop();
        await sandbox.close();
      }
    });

    it('never creates an account twice when its copy is stale: a refused creation is looked up and adopted', async () => {
      const sandbox = await startSandbox({ port: 0, seed: defaultSeed() });
      const minting = await startMintingBackend({
        knex: await databases.init(id),
        sandbox,
      });
      const creations = holdCalls(sandbox.sandbox, 'CreateAccount');
      try {
        const requested = await minting.api('post', '/regions').send(minted);
        expect(requested.status).toBe(202);
        // The run read the organization (no account of the region in it) and is creating.
        await waitFor('the three creations to be sent', async () =>
          creations.waiting() === 3 ? true : undefined,
        );
        // Meanwhile another tool makes one of them, by its email: the copy does not know.
        const email = `aws+${REGION}-mc1@example.com`;
        const made = await fetch(`${sandbox.endpoint}/_sandbox/accounts`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({
            managementAccountId: '400000000001',
            name: `${REGION}-mc1`,
            email,
          }),
        });
        expect(made.status).toBe(201);
        const { id: handMade } = await made.json();
        creations.release();

        const run = await minting.finished(requested.body.run.id);
        expect(run.status).toBe('succeeded');
        const withEmail = [...sandbox.sandbox.state.accounts.values()].filter(
          a => a.email === email,
        );
        expect(withEmail.map(a => a.id)).toEqual([handMade]);
        const step = run.steps.find(
          (s: any) => s.key === `account:${REGION}-mc1`,
        );
        expect(step.outputs.accountId).toBe(handMade);
      } finally {
        creations.release();
        await minting.stop();
        await sandbox.close();
      }
    });
  },
);
