/* eslint-disable no-console */
// Benchmark (not a test): mints 15 regions of 3 accounts across the three payers against the sandbox's
// realistic profile, time-scaled, and prints the wall time against the bound that five creations in
// flight per organization set.
//   yarn workspace @regional-minting/plugin-account-minting-backend bench [--time-scale 0.05]
import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { parseRegionRequest } from '@regional-minting/plugin-account-minting-common';
import {
  defaultSeed,
  PROFILES,
  startSandbox,
} from '@regional-minting/aws-sandbox';
import { ProvisionerRegistry } from '@regional-minting/plugin-account-minting-node';
import knexFactory from 'knex';
import { parseArgs } from 'node:util';
import { configView, readMintingConfig } from '../src/config/mintingConfig';
import { applyDatabaseMigrations } from '../src/database/migrations';
import { createMintingEngine } from '../src/engine/createMintingEngine';

const { values } = parseArgs({
  options: { 'time-scale': { type: 'string', default: '0.05' } },
});
const timeScale = Number(values['time-scale']);
const CREATIONS_IN_FLIGHT = 5;

async function main() {
  const sandbox = await startSandbox({
    port: 0,
    seed: defaultSeed(),
    profile: PROFILES.realistic,
    timeScale,
  });
  const regions = [
    'us-east-1',
    'us-east-2',
    'us-west-2',
    'eu-west-1',
    'eu-west-2',
  ];
  const payer = (name: string, accountId: string) => ({
    name,
    accountId,
    mintRoleArn: `arn:aws:iam::${accountId}:role/AccountMinter`,
  });
  const rootConfig = new ConfigReader({
    aws: {
      mainAccount: {
        accessKeyId: 'AKIASANDBOXCENTRAL01',
        secretAccessKey: 'sandbox-central-account-secret-key',
      },
    },
    accountMinting: {
      aws: { endpoint: sandbox.endpoint },
      accountEmail: 'aws+{account}@example.com',
      payers: [
        payer('control', '200000000001'),
        payer('staging-1', '300000000001'),
        payer('staging-2', '400000000001'),
      ],
      environments: [
        { name: 'prod', payer: 'control', regions },
        { name: 'stage', payer: 'staging-1', regions },
        { name: 'int', payer: 'staging-2', regions },
      ],
      accountRoles: [
        { name: 'regional-cluster', suffix: 'rc', count: 1 },
        { name: 'management-cluster', suffix: 'mc', count: 2 },
      ],
      engine: {
        // Steps waiting for a creation slot hold an executor slot: room for every step of the 15 regions.
        concurrency: 60,
        pollIntervalMs: 20,
        creationPollMs: { min: 10, max: 50 },
        retries: { attempts: 12, baseDelayMs: 10, maxDelayMs: 200 },
      },
    },
  });
  const config = readMintingConfig(rootConfig);
  const knex = knexFactory({
    client: 'better-sqlite3',
    connection: ':memory:',
    useNullAsDefault: true,
  });
  await applyDatabaseMigrations(knex);
  const engine = await createMintingEngine({
    config,
    rootConfig,
    knex,
    logger: mockServices.rootLogger({ level: 'error' }),
    provisioners: new ProvisionerRegistry(),
  });
  engine.executor.start();

  const started = performance.now();
  const requests = ['prod', 'stage', 'int'].flatMap(environment =>
    regions.map(region =>
      parseRegionRequest({ environment, region }, configView(config)),
    ),
  );
  const runs = await Promise.all(
    requests.map(r => engine.minting.requestRegion(r, 'user:default/bench')),
  );
  const pending = new Set(runs.map(r => r.run.id));
  const failed: string[] = [];
  while (pending.size > 0) {
    for (const id of [...pending]) {
      const run = await engine.store.getRun(id);
      if (run.status === 'succeeded' || run.status === 'failed') {
        pending.delete(id);
        if (run.status === 'failed') failed.push(`${run.region}: ${run.error}`);
      }
    }
    await new Promise(resolve => setTimeout(resolve, 10));
  }
  const wallMs = performance.now() - started;
  await engine.executor.stop();

  const creationMs = PROFILES.realistic.accountCreationMs * timeScale;
  const accountsPerPayer = (requests.length / 3) * 3;
  const boundMs =
    Math.ceil(accountsPerPayer / CREATIONS_IN_FLIGHT) * creationMs;
  const calls = sandbox.sandbox.calls.list();
  console.log(
    `regions: ${requests.length} (${accountsPerPayer} accounts in each of 3 payers), time scale ${timeScale}`,
  );
  console.log(
    `account creation ${creationMs.toFixed(
      0,
    )} ms; bound with ${CREATIONS_IN_FLIGHT} in flight per organization: ${boundMs.toFixed(
      0,
    )} ms`,
  );
  console.log(
    `wall time: ${wallMs.toFixed(0)} ms = ${(
      (wallMs / boundMs - 1) *
      100
    ).toFixed(1)}% over the bound`,
  );
  console.log(
    `AWS calls: ${calls.length} (${
      calls.filter(c => c.operation === 'CreateAccount' && !c.error).length
    } CreateAccount, ${
      calls.filter(c => c.error === 'TooManyRequestsException').length
    } throttled), failed runs: ${failed.length}`,
  );
  failed.forEach(f => console.log(`  ${f}`));
  await knex.destroy();
  await sandbox.close();
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
