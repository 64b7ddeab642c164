/* eslint-disable no-console */
// Reliability experiment "faults": 30% of the calls to every AWS Organizations operation the engine uses fail
// with TooManyRequestsException or ConcurrentModificationException (the sandbox's fault plan, with a
// probability), and CreateAccount answers slowly; 10 dev regions on the realistic profile, time-scaled.
// Every run must succeed, with no account twice in the sandbox and no step left pending or running.
//   yarn workspace @regional-minting/plugin-account-minting-backend reliability:faults [--time-scale 0.05] [--seed N]
import { FaultSpec } from '@regional-minting/aws-sandbox';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import {
  devRegions,
  experimentConfig,
  Figure,
  freshDatabase,
  info,
  outcomeFigures,
  progress,
  readOptions,
  regionAloneMs,
  requestRegion,
  runExperiment,
  seconds,
  startBackend,
  startExperimentSandbox,
  timeLeft,
  waitForRuns,
} from './harness';

const REGIONS = 10;
const ACCOUNTS_PER_REGION = 3;
const FAILING_SHARE = 0.3;
// CreateAccount answers this much later than the profile says, in the profile's (unscaled) time.
const CREATE_ACCOUNT_DELAY_MS = 30_000;

/** The Organizations operations the engine calls: the commands its sources import from the SDK. */
function engineOrganizationsOperations(): string[] {
  const operations = new Set<string>();
  const visit = (dir: string) => {
    for (const entry of readdirSync(dir)) {
      const path = join(dir, entry);
      if (statSync(path).isDirectory()) visit(path);
      else if (/(?<!\.test)\.ts$/.test(entry)) {
        const source = readFileSync(path, 'utf8');
        const imports = source.matchAll(
          /import\s*(?:type\s*)?\{([^}]*)\}\s*from\s*'@aws-sdk\/client-organizations'/g,
        );
        for (const [, names] of imports) {
          for (const name of names.split(',')) {
            const command = /^\s*(?:type\s+)?(\w+)Command\s*$/.exec(name);
            if (command) operations.add(command[1]);
          }
        }
      }
    }
  };
  visit(join(__dirname, '..', 'src'));
  return [...operations].sort();
}

const options = readOptions('faults', {
  timeScale: 0.05,
  deadlineSeconds: 300,
});

runExperiment('faults', options, async figures => {
  const sandbox = await startExperimentSandbox(options.timeScale);
  const database = await freshDatabase('faults', options);
  const config = experimentConfig(sandbox.endpoint, options.timeScale);
  const operations = engineOrganizationsOperations();
  const delayMs = CREATE_ACCOUNT_DELAY_MS * options.timeScale;
  progress(
    `Organizations operations the engine uses: ${operations.join(', ')}`,
  );
  figures.push(
    info(
      'one region alone (creation + readiness, scaled)',
      seconds(regionAloneMs(options.timeScale)),
    ),
    info('database', database.kind),
    info(
      `Organizations operations failing ${FAILING_SHARE * 100}% (listed above)`,
      operations.length,
    ),
    info('CreateAccount slowed by', `${delayMs.toFixed(0)} ms`),
  );

  const backend = await startBackend({
    name: 'backend',
    workdir: options.workdir,
    database,
    config,
  });

  // Half the failing calls are throttled, the other half conflict: the second fault draws only among the
  // calls the first let through, so that together they fail FAILING_SHARE of the calls.
  const half = FAILING_SHARE / 2;
  const faults: FaultSpec[] = operations.flatMap((operation, i) => [
    {
      operation,
      service: 'organizations' as const,
      probability: half,
      seed: options.seed + i,
      error: {
        code: 'TooManyRequestsException',
        message: 'Rate exceeded (injected by the reliability experiment)',
        statusCode: 400,
      },
    },
    {
      operation,
      service: 'organizations' as const,
      probability: half / (1 - half),
      seed: options.seed + 1000 + i,
      error: {
        code: 'ConcurrentModificationException',
        message:
          'AWS Organizations could not complete the request because it conflicts with another attempt to modify the same entity (injected)',
        statusCode: 400,
      },
    },
  ]);
  faults.push({
    operation: 'CreateAccount',
    service: 'organizations',
    latencyMs: delayMs,
  });
  const planned = await fetch(`${sandbox.endpoint}/_sandbox/faults`, {
    method: 'POST',
    body: JSON.stringify(faults),
  });
  if (planned.status !== 201) {
    throw new Error(
      `the sandbox refused the fault plan (${
        planned.status
      }): ${await planned.text()}`,
    );
  }
  sandbox.sandbox.calls.clear();
  progress(`${faults.length} faults planned in the sandbox`);

  const requestedAt = Date.now();
  const requests = devRegions('faults', REGIONS);
  const runIds: string[] = [];
  for (const request of requests) {
    runIds.push(await requestRegion(backend, request));
  }
  progress(`${REGIONS} regions requested`);

  const knex = database.knex();
  const runs = await waitForRuns(knex, runIds, timeLeft(options));
  const calls = sandbox.sandbox.calls
    .list()
    .filter(c => c.service === 'organizations');
  const failed = calls.filter(
    c =>
      c.error === 'TooManyRequestsException' ||
      c.error === 'ConcurrentModificationException',
  );
  const share = calls.length ? failed.length / calls.length : 0;
  const slowed = calls.filter(
    c => c.operation === 'CreateAccount' && c.durationMs >= delayMs,
  ).length;
  const shareFigure: Figure = {
    name: 'Organizations calls failed by the plan (and throttling)',
    value: `${failed.length} of ${calls.length} (${(share * 100).toFixed(1)}%)`,
    expected: `${(FAILING_SHARE * 100 - 8).toFixed(0)}-${(
      FAILING_SHARE * 100 +
      8
    ).toFixed(0)}%`,
    ok: Math.abs(share - FAILING_SHARE) <= 0.08,
  };
  const outcome = await outcomeFigures({
    knex,
    sandbox,
    runs,
    prefix: 'dev-faults',
    accounts: REGIONS * ACCOUNTS_PER_REGION,
    requestedAt,
  });
  figures.push(
    shareFigure,
    info('CreateAccount calls slowed', slowed),
    ...outcome.figures,
  );
  outcome.unsucceeded.forEach(r =>
    console.log(`  ${r.region}: ${r.status} ${r.error ?? ''}`),
  );
  if (outcome.twice.length) {
    console.log(`  created twice: ${outcome.twice.join(', ')}`);
  }
  await backend.stop();
});
