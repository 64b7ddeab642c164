import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { JsonObject } from '@backstage/types';
import {
  parseRegionRequest,
  RegionRequest,
} from '@regional-minting/plugin-account-minting-common';
import { ProvisionerRegistry } from '@regional-minting/plugin-account-minting-node';
import {
  defaultSeed,
  PROFILES,
  Seed,
  startSandbox,
} from '@regional-minting/aws-sandbox';
import knexFactory from 'knex';
import { configView, readMintingConfig } from '../src/config/mintingConfig';
import { applyDatabaseMigrations } from '../src/database/migrations';
import { createMintingEngine } from '../src/createMintingEngine';
import { commandProvisioner } from '../src/provisioners/commandProvisioner';

/** The engine's pace in a sandbox whose throttling is time-scaled: under its 10 requests a second, scaled as it is. */
export function benchCallsPerSecond(timeScale: number): number {
  // The engine accepts at most 1,000; a sandbox scaled that far throttles nothing a bench sends.
  return Math.min(1000, 8 / timeScale);
}

/**
 * One backend's engine on an in-memory database, against a sandbox of the design document's
 * estate (or of `options.seed`) on the realistic profile at the given time scale: what the
 * benchmarks measure.
 */
export async function startBenchEngine(
  timeScale: number,
  accountMinting: (endpoint: string) => JsonObject,
  options: { seed?: Seed } = {},
) {
  if (!(timeScale > 0) || !Number.isFinite(timeScale)) {
    throw new Error(`--time-scale: must be a number above 0, not ${timeScale}`);
  }
  const sandbox = await startSandbox({
    port: 0,
    seed: options.seed ?? defaultSeed(),
    profile: PROFILES.realistic,
    timeScale,
  });
  const rootConfig = new ConfigReader({
    aws: {
      mainAccount: {
        accessKeyId: 'AKIASANDBOXCENTRAL01',
        secretAccessKey: 'sandbox-central-account-secret-key',
      },
    },
    accountMinting: accountMinting(sandbox.endpoint),
  });
  const config = readMintingConfig(rootConfig);
  const knex = knexFactory({
    client: 'better-sqlite3',
    connection: ':memory:',
    useNullAsDefault: true,
  });
  await applyDatabaseMigrations(knex);
  const provisioners = new ProvisionerRegistry();
  provisioners.add(commandProvisioner);
  const engine = await createMintingEngine({
    config,
    rootConfig,
    knex,
    logger: mockServices.rootLogger({ level: 'error' }),
    provisioners,
  });
  engine.executor.start();
  return {
    sandbox,
    engine,
    request: (request: RegionRequest) =>
      engine.minting.requestRegion(
        parseRegionRequest(request, configView(config)),
        'user:default/bench',
      ),
    /** Waits until a run and its last step are finished. */
    async finished(runId: string) {
      for (;;) {
        const run = await engine.runs.getRun(runId);
        if (run.finishedAt) return run;
        await new Promise(resolve => setTimeout(resolve, 10));
      }
    },
    async close() {
      await engine.executor.stop();
      await knex.destroy();
      await sandbox.close();
    },
  };
}
