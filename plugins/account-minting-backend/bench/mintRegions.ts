/* eslint-disable no-console */
// Benchmark (not a test): mints 15 regions of 3 accounts across the three payers against the sandbox's
// realistic profile, time-scaled, and prints the wall time against the bound that five creations in
// flight per organization set.
//   yarn workspace @regional-minting/plugin-account-minting-backend bench [--time-scale 0.05]
import { PROFILES } from '@regional-minting/aws-sandbox';
import { parseArgs } from 'node:util';
import { CREATIONS_PER_ORGANIZATION } from '../src/aws/CreationSlots';
import {
  benchCallsPerSecond,
  printCallsByOperation,
  startBenchEngine,
} from './benchEngine';

const { values } = parseArgs({
  options: { 'time-scale': { type: 'string', default: '0.05' } },
});
const timeScale = Number(values['time-scale']);
const REGIONS = [
  'us-east-1',
  'us-east-2',
  'us-west-2',
  'eu-west-1',
  'eu-west-2',
];
const ENVIRONMENTS = ['prod', 'stage', 'int'];

async function main() {
  const payer = (name: string, accountId: string) => ({
    name,
    accountId,
    mintRoleArn: `arn:aws:iam::${accountId}:role/AccountMinter`,
  });
  const bench = await startBenchEngine(timeScale, endpoint => ({
    aws: { endpoint },
    accountEmail: 'aws+{account}@example.com',
    payers: [
      payer('control', '200000000001'),
      payer('staging-1', '300000000001'),
      payer('staging-2', '400000000001'),
    ],
    environments: [
      { name: 'prod', payer: 'control', regions: REGIONS },
      { name: 'stage', payer: 'staging-1', regions: REGIONS },
      { name: 'int', payer: 'staging-2', regions: REGIONS },
    ],
    accountRoles: [
      { name: 'regional-cluster', suffix: 'rc', count: 1 },
      { name: 'management-cluster', suffix: 'mc', count: 2 },
    ],
    engine: {
      callsPerSecond: benchCallsPerSecond(timeScale),
      // Steps waiting for a creation slot hold an executor slot: room for every step of the 15 regions.
      concurrency: 60,
      pollIntervalMs: 20,
      creationPollMs: { min: 10, max: 50 },
      retries: { attempts: 12, baseDelayMs: 10, maxDelayMs: 200 },
    },
  }));

  const started = performance.now();
  const requests = ENVIRONMENTS.flatMap(environment =>
    REGIONS.map(region => ({ environment, region })),
  );
  const runs = await Promise.all(requests.map(r => bench.request(r)));
  const finished = await Promise.all(runs.map(r => bench.finished(r.run.id)));
  const wallMs = performance.now() - started;

  const creationMs = PROFILES.realistic.accountCreationMs * timeScale;
  const accountsPerPayer = REGIONS.length * 3;
  const boundMs =
    Math.ceil(accountsPerPayer / CREATIONS_PER_ORGANIZATION) * creationMs;
  const calls = bench.sandbox.sandbox.calls.list();
  const failed = finished.filter(r => r.status !== 'succeeded');
  console.log(
    `regions: ${requests.length} (${accountsPerPayer} accounts in each of 3 payers), time scale ${timeScale}`,
  );
  console.log(
    `account creation ${creationMs.toFixed(
      0,
    )} ms; bound with ${CREATIONS_PER_ORGANIZATION} in flight per organization: ${boundMs.toFixed(
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
  printCallsByOperation(calls);
  failed.forEach(r => console.log(`  ${r.region}: ${r.error}`));
  await bench.close();
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
