/* eslint-disable no-console */
// Reliability experiment "crash": 10 dev regions (30 accounts in one organization) on the sandbox's realistic
// profile, time-scaled so that a region alone takes 20-60 s; the backend is killed with SIGKILL at random
// moments at least 5 times and started again on the same database, then left to finish. CreateAccount calls
// are slowed so that kills cut some of them (the sandbox accepts a creation whose caller died). Every run must
// succeed, with no account twice in the sandbox, no step left pending or running, and every account there.
//   yarn workspace @regional-minting/plugin-account-minting-backend reliability:crash [--time-scale 0.07] [--seed N]
import {
  atLeast,
  BackendProcess,
  devRegions,
  experimentConfig,
  freshDatabase,
  info,
  outcomeFigures,
  progress,
  readOptions,
  readRuns,
  refusedCreations,
  regionAloneMs,
  requestRegion,
  runExperiment,
  seconds,
  seededRandom,
  sleep,
  startBackend,
  startExperimentSandbox,
  timeLeft,
  waitForRuns,
} from './harness';

const REGIONS = 10;
const ACCOUNTS_PER_REGION = 3;
const KILLS = 5;
// A kill comes this long after the backend answered its health check: long enough to claim steps and
// call AWS, short enough that five kills land before the regions are done.
const UPTIME_MS = { min: 3000, max: 12_000 };
// CreateAccount answers this much later (in the profile's unscaled time, as a real call can take a second or
// more), so that kills land while creations are in flight: the sandbox accepts a creation whose caller died,
// and the next backend must find it rather than ask again.
const CREATE_ACCOUNT_CALL_MS = 20_000;

const options = readOptions('crash', { timeScale: 0.07, deadlineSeconds: 330 });

runExperiment('crash', options, async figures => {
  const random = seededRandom(options.seed);
  const sandbox = await startExperimentSandbox(options.timeScale);
  const database = await freshDatabase('crash', options);
  const config = experimentConfig(sandbox.endpoint, options.timeScale);
  figures.push(
    info(
      'one region alone (creation + readiness, scaled)',
      seconds(regionAloneMs(options.timeScale)),
    ),
    info('database', database.kind),
  );
  const createAccountMs = CREATE_ACCOUNT_CALL_MS * options.timeScale;
  sandbox.sandbox.faults.add({
    operation: 'CreateAccount',
    service: 'organizations',
    latencyMs: createAccountMs,
  });
  figures.push(
    info('CreateAccount call slowed to', `${createAccountMs.toFixed(0)} ms`),
  );
  const start = () =>
    startBackend({
      name: 'backend',
      workdir: options.workdir,
      database,
      config,
    });

  let backend: BackendProcess = await start();
  const requestedAt = Date.now();
  const requests = devRegions('crash', REGIONS);
  const runIds: string[] = [];
  for (const request of requests) {
    runIds.push(await requestRegion(backend, request));
  }
  progress(
    `${REGIONS} regions requested from ${backend.name} (pid ${backend.pid})`,
  );

  const knex = database.knex();
  const kills: string[] = [];
  const killTimes: number[] = [];
  for (let k = 0; k < KILLS; k++) {
    await sleep(UPTIME_MS.min + random() * (UPTIME_MS.max - UPTIME_MS.min));
    const runs = await readRuns(knex, runIds);
    if (runs.every(r => r.finished_at)) {
      progress('every run finished before the next kill');
      break;
    }
    const [{ count }] = await knex('steps')
      .where('status', 'running')
      .count({ count: '*' });
    await backend.kill();
    killTimes.push(Date.now());
    const at = seconds(Date.now() - requestedAt);
    kills.push(`${at} (${count} steps running)`);
    progress(
      `kill ${k + 1}: SIGKILL pid ${backend.pid} with ${count} steps running`,
    );
    backend = await start();
    progress(`started again: pid ${backend.pid}`);
  }
  figures.push(
    atLeast('SIGKILLs while regions were being minted', kills.length, KILLS),
    info('kill moments (since the requests)', kills.join(', ') || 'none'),
  );

  const runs = await waitForRuns(knex, runIds, timeLeft(options));
  // CreateAccount calls under way when a backend died: their caller never heard the answer.
  const cut = sandbox.sandbox.calls.list().filter(c => {
    if (c.operation !== 'CreateAccount') return false;
    const end = Date.parse(c.time);
    return killTimes.some(k => end - c.durationMs < k && end > k);
  });
  const outcome = await outcomeFigures({
    knex,
    sandbox,
    runs,
    prefix: 'dev-crash',
    accounts: REGIONS * ACCOUNTS_PER_REGION,
    requestedAt,
  });
  figures.push(
    ...outcome.figures,
    info(
      'CreateAccount calls in flight when a backend was killed',
      `${cut.length} (${
        cut.filter(c => !c.error).length
      } accepted by the sandbox)`,
    ),
    info(
      'CreateAccount calls refused (5 in progress)',
      killTimes.length
        ? `${refusedCreations(sandbox)} (${
            refusedCreations(sandbox) - refusedCreations(sandbox, killTimes[0])
          } before the first kill)`
        : refusedCreations(sandbox),
    ),
  );
  outcome.unsucceeded.forEach(r =>
    console.log(`  ${r.region}: ${r.status} ${r.error ?? ''}`),
  );
  if (outcome.twice.length) {
    console.log(`  created twice: ${outcome.twice.join(', ')}`);
  }
  await backend.stop();
});
