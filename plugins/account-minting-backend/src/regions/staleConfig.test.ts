import { ConfigReader } from '@backstage/config';
import { JsonObject } from '@backstage/types';
import {
  defaultSeed,
  RunningSandbox,
  startSandbox,
} from '@regional-minting/aws-sandbox';
import { Knex } from 'knex';
import { testDatabases } from '../testUtils/databases';
import {
  mintingTestConfig,
  startMintingBackend,
} from '../testUtils/mintingBackend';
import { readMintingConfig } from '../config/mintingConfig';
import { DesiredState } from './DesiredState';
import { RegionStore } from './RegionStore';
import { DatabaseRunRepository } from '../runs/RunRepository';
import { pipelineSteps } from '../pipelines';

jest.setTimeout(120_000);

const databases = testDatabases();

/** Allows dev only these regions. */
const devRegions =
  (...regions: string[]) =>
  (accountMinting: JsonObject) => {
    const dev = (accountMinting.environments as JsonObject[]).find(
      e => e.name === 'dev',
    )!;
    dev.regions = regions;
  };

const accountsNamed = (sandbox: RunningSandbox, prefix: string) =>
  [...sandbox.sandbox.state.accounts.values()]
    .map(a => a.name)
    .filter(name => name.startsWith(prefix))
    .sort();

/** Queues a run as a backend that stopped would leave it, for the next backend to take. */
async function queueRun(
  knex: Knex,
  endpoint: string,
  pipeline: 'mint',
  region: string,
) {
  const config = readMintingConfig(
    new ConfigReader(mintingTestConfig(endpoint)),
  );
  const { desired } = await new DesiredState(config, new RegionStore(knex)).get(
    region,
  );
  const { run } = await new DatabaseRunRepository({ knex }).createRun({
    pipeline,
    region,
    requestedBy: 'user:default/kirk',
    steps: pipelineSteps(config, pipeline, desired),
  });
  return run.id;
}

describe.each(databases.eachSupportedId())(
  'a configuration that no longer fits a stored request, on %s',
  id => {
    it('shows the request as stale, never mints it, and keeps every other route working', async () => {
      const knex = await databases.init(id);
      const sandbox = await startSandbox({ port: 0, seed: defaultSeed() });
      try {
        const before = await startMintingBackend({ knex, sandbox });
        const spock = await before.regionRun({
          environment: 'dev',
          region: 'eu-west-1',
          owner: 'spock',
        });
        const kirk = await before.regionRun({
          environment: 'dev',
          region: 'us-east-2',
          owner: 'kirk',
        });
        expect([spock.status, kirk.status]).toEqual(['succeeded', 'succeeded']);
        await before.stop();

        // Runs left queued by the backend that stopped, one for each region.
        const staleRun = await queueRun(
          knex,
          sandbox.endpoint,
          'mint',
          'dev-spock-eu-west-1',
        );
        const validRun = await queueRun(
          knex,
          sandbox.endpoint,
          'mint',
          'dev-kirk-us-east-2',
        );

        // Restarted with eu-west-1 no longer allowed in dev.
        const after = await startMintingBackend({
          knex,
          sandbox,
          configure: devRegions('us-east-1', 'us-east-2'),
        });
        try {
          const regions = await after.api('get', '/regions');
          expect(regions.status).toBe(200);
          const byName = Object.fromEntries(
            regions.body.items.map((r: any) => [r.name, r]),
          );
          expect(byName['dev-spock-eu-west-1'].problem).toBe(
            'region eu-west-1 is not allowed in dev; allowed: us-east-1, us-east-2',
          );
          // Its accounts stay as they were accepted, so the estate still shows them.
          expect(
            byName['dev-spock-eu-west-1'].accounts.map((a: any) => a.email),
          ).toEqual([
            'aws+dev-spock-eu-west-1-rc@example.com',
            'aws+dev-spock-eu-west-1-mc0@example.com',
            'aws+dev-spock-eu-west-1-mc1@example.com',
          ]);
          expect(byName['dev-kirk-us-east-2'].problem).toBeUndefined();

          const one = await after.api('get', '/regions/dev-spock-eu-west-1');
          expect(one.status).toBe(200);
          expect(one.body.problem).toMatch(/not allowed in dev/);

          const estate = await after.api('get', '/estate');
          expect(estate.status).toBe(200);
          const dev = estate.body.payers
            .find((p: any) => p.name === 'staging-2')
            .environments.find((e: any) => e.name === 'dev');
          expect(
            dev.regions.find((r: any) => r.name === 'dev-spock-eu-west-1')
              .problem,
          ).toMatch(/not allowed in dev/);

          // The run of the stale region fails with the reason; the other one is untouched.
          expect((await after.finished(validRun)).status).toBe('succeeded');
          const stale = await after.finished(staleRun);
          expect(stale.status).toBe('failed');
          expect(stale.error).toMatch(
            /region dev-spock-eu-west-1 no longer fits the configuration \(region eu-west-1 is not allowed in dev/,
          );

          // Nothing is started for it, by hand or by a drift check.
          const refused = await after
            .api('post', '/runs')
            .send({ pipeline: 'mint', region: 'dev-spock-eu-west-1' });
          expect(refused.status).toBe(409);
          expect(refused.body.error.message).toMatch(/no longer fits/);

          // Every other route works: a new region elsewhere, and runs of the valid one.
          const prod = await after.regionRun({
            environment: 'prod',
            region: 'us-east-1',
          });
          expect(prod.status).toBe('succeeded');
          const rerun = await after
            .api('post', '/runs')
            .send({ pipeline: 'mint', region: 'dev-kirk-us-east-2' });
          expect(rerun.status).toBe(202);
          expect((await after.finished(rerun.body.id)).status).toBe(
            'succeeded',
          );
          const check = await after
            .api('post', '/drift/checks')
            .send({ pipeline: 'mint' });
          expect(check.status).toBe(202);
          expect((await after.finished(check.body.id)).status).toBe(
            'succeeded',
          );
          expect(accountsNamed(sandbox, 'dev-spock-eu-west-1')).toHaveLength(3);
        } finally {
          await after.stop();
        }
      } finally {
        await sandbox.close();
      }
    });

    it('writes nothing for a refused request, so a later configuration never mints it', async () => {
      const knex = await databases.init(id);
      const sandbox = await startSandbox({ port: 0, seed: defaultSeed() });
      try {
        const refusing = await startMintingBackend({
          knex,
          sandbox,
          configure: devRegions('us-east-2'),
        });
        const refused = await refusing
          .api('post', '/regions')
          .send({ environment: 'dev', region: 'eu-west-1', owner: 'uhura' });
        expect(refused.status).toBe(400);
        expect(refused.body.fields.region).toMatch(/not allowed in dev/);
        await refusing.stop();
        expect(
          Number((await knex('requested_regions').count({ n: '*' }))[0].n),
        ).toBe(0);

        // Allowed again: a drift check repairs what is desired, and the refused request is not.
        const allowing = await startMintingBackend({ knex, sandbox });
        try {
          const check = await allowing
            .api('post', '/drift/checks')
            .send({ pipeline: 'mint' });
          expect((await allowing.finished(check.body.id)).status).toBe(
            'succeeded',
          );
          const { body } = await allowing.api('get', '/runs');
          expect(body.items.map((r: any) => r.pipeline)).toEqual(['mint']);
          expect(accountsNamed(sandbox, 'dev-uhura')).toEqual([]);
        } finally {
          await allowing.stop();
        }
      } finally {
        await sandbox.close();
      }
    });

    it('records a request and its run together: a run that cannot start leaves no request', async () => {
      const knex = await databases.init(id);
      const minting = await startMintingBackend({ knex });
      try {
        // The run cannot be written: the request written before it in the transaction goes too.
        const createRun = jest
          .spyOn(DatabaseRunRepository.prototype, 'createRun')
          .mockRejectedValueOnce(new Error('the database is full'));
        const failed = await minting
          .api('post', '/regions')
          .send({ environment: 'dev', region: 'us-east-2', owner: 'kirk' });
        expect(failed.status).toBe(500);
        expect(createRun).toHaveBeenCalledTimes(1);
        expect(
          Number((await knex('requested_regions').count({ n: '*' }))[0].n),
        ).toBe(0);
        // Asked again, it is recorded with its run.
        const again = await minting
          .api('post', '/regions')
          .send({ environment: 'dev', region: 'us-east-2', owner: 'kirk' });
        expect(again.status).toBe(202);
        expect((await minting.finished(again.body.run.id)).status).toBe(
          'succeeded',
        );
      } finally {
        jest.restoreAllMocks();
        await minting.stop();
      }
    });
  },
);
