import { defaultSeed, startSandbox } from '@regional-minting/aws-sandbox';
import { JsonObject } from '@backstage/types';
import { testDatabases } from '../testUtils/databases';
import { startMintingBackend } from '../testUtils/mintingBackend';

const databases = testDatabases();

jest.setTimeout(180_000);

const REGION = 'dev-pete-eu-west-1';

describe.each(databases.eachSupportedId())(
  'what a decommission refuses on %s',
  id => {
    it('never closes an account it does not manage, says what a declared region needs first, and refuses unknown accounts', async () => {
      const sandbox = await startSandbox({ port: 0, seed: defaultSeed() });
      const minting = await startMintingBackend({
        knex: await databases.init(id),
        sandbox,
        configure: (accountMinting: JsonObject) => {
          accountMinting.regions = [
            { environment: 'stage', region: 'us-east-1' },
          ];
        },
      });
      const decommission = (region: string, body: object) =>
        minting.api('post', `/regions/${region}/decommission`).send(body);
      try {
        // A region declared in configuration leaves the configuration first: the plan says so.
        const declared = await decommission('stage-us-east-1', {
          dryRun: true,
        });
        expect(declared.status).toBe(200);
        expect(declared.body.plan.actions).toEqual([
          {
            action: 'blocked',
            target: 'stage-us-east-1',
            reason: expect.stringMatching(
              /declared in configuration \(accountMinting\.regions\): remove it there first/,
            ),
          },
        ]);
        expect((await decommission('stage-us-east-1', {})).status).toBe(409);
        expect((await decommission('nowhere', { dryRun: true })).status).toBe(
          404,
        );

        const minted = await minting.regionRun({
          environment: 'dev',
          region: 'eu-west-1',
          owner: 'pete',
        });
        expect(minted.status).toBe('succeeded');
        const unknown = await decommission(REGION, {
          accounts: [`${REGION}-mc7`],
          dryRun: true,
        });
        expect(unknown.status).toBe(400);
        expect(unknown.body.fields.accounts).toMatch(
          /dev-pete-eu-west-1-mc7: not accounts of dev-pete-eu-west-1/,
        );

        // Someone took an account out of the product's hands: it is never closed.
        const mc1 = [...sandbox.sandbox.state.accounts.values()].find(
          a => a.name === `${REGION}-mc1`,
        )!;
        delete mc1.tags['managed-by'];
        const plan = await decommission(REGION, {
          accounts: [mc1.name],
          dryRun: true,
        });
        expect(
          plan.body.plan.actions.find((a: any) => a.action === 'blocked'),
        ).toMatchObject({
          target: `Close ${mc1.name}`,
          reason: expect.stringMatching(
            /is not tagged managed-by: account-minting: this product never closes an account it does not manage/,
          ),
        });
        sandbox.sandbox.calls.clear();
        const refused = await decommission(REGION, { accounts: [mc1.name] });
        expect(refused.status).toBe(409);
        expect(refused.body.error.message).toMatch(/would fail/);
        expect(
          sandbox.sandbox.calls
            .list()
            .filter(c => c.mutating && c.operation !== 'AssumeRole'),
        ).toEqual([]);
        expect(mc1.status).toBe('ACTIVE');
        const region = await minting.api('get', `/regions/${REGION}`);
        expect(region.body.accounts.map((a: any) => a.name)).toContain(
          mc1.name,
        );
      } finally {
        await minting.stop();
        await sandbox.close();
      }
    });
  },
);
