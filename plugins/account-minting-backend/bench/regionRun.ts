/* eslint-disable no-console */
// Benchmark (not a test): one region (an RC and two MCs) from nothing to provisioned and joined, on the
// sandbox's realistic profile, time-scaled; prints the run's wall time against the critical path of its
// graph, and what the run would take unscaled.
//   yarn workspace @regional-minting/plugin-account-minting-backend bench:region [--time-scale 0.01]
import { PROFILES } from '@regional-minting/aws-sandbox';
import { parseArgs } from 'node:util';
import { benchCallsPerSecond, startBenchEngine } from './benchEngine';

const { values } = parseArgs({
  options: { 'time-scale': { type: 'string', default: '0.01' } },
});
const timeScale = Number(values['time-scale']);

// What provisioning takes in real time: Terraform and Helm for a cluster, then the Maestro registration.
const CLUSTER_MS = 20 * 60_000;
const JOIN_MS = 2 * 60_000;
const sleepStep = (name: string, ms: number) => ({
  name,
  provisioner: 'command',
  options: {
    command: process.execPath,
    args: ['-e', `setTimeout(() => {}, ${Math.round(ms * timeScale)})`],
  },
});

async function main() {
  const profile = PROFILES.realistic;
  const bench = await startBenchEngine(timeScale, endpoint => ({
    aws: { endpoint },
    accountEmail: 'aws+{account}@example.com',
    payers: [
      {
        name: 'staging-2',
        accountId: '400000000001',
        mintRoleArn: 'arn:aws:iam::400000000001:role/AccountMinter',
        bootstrapRoleArn: 'arn:aws:iam::400000000001:role/AccountBootstrap',
      },
    ],
    environments: [
      {
        name: 'dev',
        payer: 'staging-2',
        regionOu: '{environment}-{owner}-{region}',
        regions: ['us-east-2'],
      },
    ],
    accountRoles: [
      {
        name: 'regional-cluster',
        suffix: 'rc',
        count: 1,
        provision: [sleepStep('cluster', CLUSTER_MS)],
      },
      {
        name: 'management-cluster',
        suffix: 'mc',
        count: 2,
        provision: [sleepStep('cluster', CLUSTER_MS)],
      },
    ],
    regionSteps: [sleepStep('maestro', JOIN_MS)],
    provision: { stateBucket: 'regional-account-minting-tfstate' },
    bootstrap: {
      provisioningRole: {
        trustedPrincipalArn:
          'arn:aws:iam::100000000001:user/account-minting-pipeline',
      },
    },
    engine: {
      callsPerSecond: benchCallsPerSecond(timeScale),
      pollIntervalMs: 20,
      creationPollMs: { min: 10, max: 50 },
      retries: { baseDelayMs: 10, maxDelayMs: 200 },
    },
  }));

  const started = performance.now();
  const { run } = await bench.request({
    environment: 'dev',
    region: 'us-east-2',
    owner: 'bench',
  });
  const finished = await bench.finished(run.id);
  const wallMs = performance.now() - started;

  // The longest chain of the graph: create an account, wait until it is ready, provision it, join the region.
  const criticalMs =
    (profile.accountCreationMs +
      profile.accountReadinessMs +
      CLUSTER_MS +
      JOIN_MS) *
    timeScale;
  const steps = await bench.engine.runs.getSteps(run.id);
  console.log(
    `region run ${finished.status}: ${steps.length} steps, time scale ${timeScale}`,
  );
  console.log(
    `critical path (creation ${
      profile.accountCreationMs / 60_000
    } min + readiness ${
      profile.accountReadinessMs / 60_000
    } min + provisioning ${CLUSTER_MS / 60_000} min + join ${
      JOIN_MS / 60_000
    } min) scaled: ${criticalMs.toFixed(0)} ms`,
  );
  console.log(
    `wall time: ${wallMs.toFixed(0)} ms = ${(
      (wallMs / criticalMs - 1) *
      100
    ).toFixed(1)}% over the critical path`,
  );
  console.log(
    `unscaled: about ${(wallMs / timeScale / 60_000).toFixed(
      1,
    )} minutes, against the design's 60`,
  );
  if (finished.status !== 'succeeded') console.log(`error: ${finished.error}`);
  await bench.close();
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
