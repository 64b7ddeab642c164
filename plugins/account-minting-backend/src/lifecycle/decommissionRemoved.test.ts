import { defaultSeed, startSandbox } from '@regional-minting/aws-sandbox';
import { JsonObject } from '@backstage/types';
import { testDatabases } from '../testUtils/databases';
import { startMintingBackend } from '../testUtils/mintingBackend';

const databases = testDatabases();

jest.setTimeout(180_000);

const REGION = 'stage-us-east-1';

describe.each(databases.eachSupportedId())(
  'a region removed from the configuration on %s',
  id => {
    it('is found in AWS by its OU and its accounts’ tags, decommissioned, and kept as decommissioned', async () => {
      const sandbox = await startSandbox({ port: 0, seed: defaultSeed() });
      const knex = await databases.init(id);
      const declared = await startMintingBackend({
        knex,
        sandbox,
        configure: (accountMinting: JsonObject) => {
          accountMinting.regions = [
            { environment: 'stage', region: 'us-east-1' },
          ];
        },
      });
      try {
        const run = await declared
          .api('post', '/runs')
          .send({ pipeline: 'region', region: REGION });
        expect((await declared.finished(run.body.id)).status).toBe('succeeded');
      } finally {
        await declared.stop();
      }

      // The region leaves the configuration; its accounts stay in AWS until it is decommissioned.
      const minting = await startMintingBackend({ knex, sandbox });
      try {
        expect((await minting.api('get', `/regions/${REGION}`)).status).toBe(
          404,
        );
        const dry = await minting
          .api('post', `/regions/${REGION}/decommission`)
          .send({ dryRun: true });
        expect(dry.status).toBe(200);
        expect(
          dry.body.plan.actions
            .filter((a: any) => a.action === 'close-account')
            .map((a: any) => a.target)
            .sort(),
        ).toEqual([`${REGION}-mc0`, `${REGION}-mc1`, `${REGION}-rc`]);
        expect(
          dry.body.plan.actions.some((a: any) => a.action === 'retire-region'),
        ).toBe(true);

        const started = await minting
          .api('post', `/regions/${REGION}/decommission`)
          .send({});
        expect(started.status).toBe(202);
        expect((await minting.finished(started.body.id)).status).toBe(
          'succeeded',
        );
        const region = await minting.api('get', `/regions/${REGION}`);
        expect(region.body).toMatchObject({
          name: REGION,
          environment: 'stage',
          status: 'decommissioned',
        });
        expect(
          [...sandbox.sandbox.state.accounts.values()]
            .filter(a => a.name.startsWith(REGION))
            .map(a => a.status),
        ).toEqual(['SUSPENDED', 'SUSPENDED', 'SUSPENDED']);
      } finally {
        await minting.stop();
        await sandbox.close();
      }
    });
  },
);
