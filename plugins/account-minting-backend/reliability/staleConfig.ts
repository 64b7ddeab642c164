/* eslint-disable no-console */
// Reliability experiment "stale config": a region requested under one configuration outlives it.
//  1. A backend whose config allows dev/eu-west-1 mints dev/us-east-2 for one owner, then is killed while
//     dev/eu-west-1 for another owner has just started (its region OU step held up by the sandbox).
//  2. Restarted with dev.regions no longer containing eu-west-1: GET /regions, GET /estate, POST /regions for
//     another environment and POST /runs for a still-valid region must answer 2xx; the stale region must be
//     shown with a reason, refused by POST /runs, and not minted (not by its unfinished run, not by a mint
//     drift check).
//  3. Defect 2: while the config makes a request invalid, POST /regions answers 400 and writes nothing (for
//     dev/eu-west-1, and for the other environment's request if the stale region made it fail too);
//     restarted with a config that allows them, a mint drift check creates no account for a refused request.
//   yarn workspace @regional-minting/plugin-account-minting-backend reliability:stale-config [--time-scale 0.05]
import { JsonObject } from '@backstage/types';
import { RunningSandbox } from '@regional-minting/aws-sandbox';
import { Knex } from 'knex';
import {
  ApiAnswer,
  BackendProcess,
  experimentConfig,
  ExperimentDatabase,
  freshDatabase,
  info,
  mustEqual,
  progress,
  readOptions,
  readRuns,
  requestRegion,
  runExperiment,
  sleep,
  startBackend,
  startExperimentSandbox,
  time,
  timeLeft,
  waitForRuns,
} from './harness';

const VALID = { environment: 'dev', region: 'us-east-2', owner: 'valid' };
const STALE = { environment: 'dev', region: 'eu-west-1', owner: 'stale' };
const REFUSED = { environment: 'dev', region: 'eu-west-1', owner: 'refused' };
const OTHER_ENVIRONMENT = { environment: 'stage', region: 'us-east-1' };
const ou = (r: { environment: string; region: string; owner?: string }) =>
  [r.environment, r.owner, r.region].filter(Boolean).join('-');

/** Why a region summary or estate node says its request no longer fits the configuration, if it says so. */
function reasonOf(node: any): string | undefined {
  const reason =
    node?.problem ?? node?.reason ?? node?.staleReason ?? node?.stale;
  return typeof reason === 'string' && reason ? reason : undefined;
}

/** The first object in `value` whose name (or regionOu) is `name`. */
function findNamed(value: unknown, name: string): any {
  if (Array.isArray(value)) {
    for (const item of value) {
      const found = findNamed(item, name);
      if (found) return found;
    }
  } else if (value && typeof value === 'object') {
    const node = value as Record<string, unknown>;
    if (node.name === name || node.regionOu === name) return node;
    for (const child of Object.values(node)) {
      const found = findNamed(child, name);
      if (found) return found;
    }
  }
  return undefined;
}

/** CreateAccount requests the sandbox accepted for a region's accounts since `since`. */
function creationsOf(sandbox: RunningSandbox, regionOu: string, since = 0) {
  return [...sandbox.sandbox.state.createAccountRequests.values()].filter(
    r => r.accountName.startsWith(`${regionOu}-`) && r.requestedAt >= since,
  ).length;
}

const ok = (answer: ApiAnswer) => answer.status >= 200 && answer.status < 300;

const options = readOptions('stale-config', {
  timeScale: 0.05,
  deadlineSeconds: 240,
});

runExperiment('stale config', options, async figures => {
  const sandbox = await startExperimentSandbox(options.timeScale);
  const database: ExperimentDatabase = await freshDatabase('stale', options);
  const allowing = experimentConfig(sandbox.endpoint, options.timeScale);
  const withoutEuWest1 = experimentConfig(
    sandbox.endpoint,
    options.timeScale,
    accountMinting => {
      const dev = (accountMinting.environments as JsonObject[]).find(
        e => e.name === 'dev',
      )!;
      dev.regions = (dev.regions as string[]).filter(r => r !== 'eu-west-1');
    },
  );
  figures.push(info('database', database.kind));
  const knex: Knex = database.knex();
  const start = (name: string, config: JsonObject) =>
    startBackend({ name, workdir: options.workdir, database, config });

  // 1. dev/eu-west-1 allowed: one region minted, the other requested and cut short.
  let backend: BackendProcess = await start('allowing', allowing);
  const validRun = await requestRegion(backend, VALID);
  await waitForRuns(knex, [validRun], Math.min(90_000, timeLeft(options)));
  // Hold the stale region's first step up in the sandbox, so that the kill comes before any of its accounts.
  sandbox.sandbox.faults.add({
    operation: 'CreateOrganizationalUnit',
    service: 'organizations',
    count: 1,
    latencyMs: 5000,
  });
  const staleRun = await requestRegion(backend, STALE);
  await sleep(1500);
  await backend.kill();
  sandbox.sandbox.faults.clear();
  progress(`${ou(STALE)} requested, its backend killed`);
  figures.push(
    info(
      `accounts of ${ou(STALE)} requested before the kill`,
      creationsOf(sandbox, ou(STALE)),
    ),
  );

  // 2. The configuration no longer allows dev/eu-west-1.
  const restartedAt = Date.now();
  backend = await start('without-eu-west-1', withoutEuWest1);
  const regions = await backend.api('GET', '/regions');
  const estate = await backend.api('GET', '/estate');
  const otherEnvironment = await backend.api(
    'POST',
    '/regions',
    OTHER_ENVIRONMENT,
  );
  const validMint = await backend.api('POST', '/runs', {
    pipeline: 'mint',
    region: ou(VALID),
  });
  const routes: [string, ApiAnswer][] = [
    ['GET /regions', regions],
    ['GET /estate', estate],
    [`POST /regions ${ou(OTHER_ENVIRONMENT)}`, otherEnvironment],
    [`POST /runs mint ${ou(VALID)}`, validMint],
  ];
  routes
    .filter(([, answer]) => !ok(answer))
    .forEach(([route, answer]) =>
      console.log(
        `  ${route}: ${answer.status} ${JSON.stringify(answer.body).slice(
          0,
          300,
        )}`,
      ),
    );
  const routesOk = routes.filter(([, answer]) => ok(answer)).length;
  figures.push({
    name: 'routes OK after the restart without dev/eu-west-1',
    value: `${routesOk} of ${routes.length} (${routes
      .map(
        ([route, answer]) =>
          `${route.split(' ').slice(0, 2).join(' ')} ${answer.status}`,
      )
      .join(', ')})`,
    expected: `= ${routes.length}`,
    ok: routesOk === routes.length,
  });
  const staleSummary = ok(regions)
    ? findNamed(regions.body, ou(STALE))
    : undefined;
  figures.push({
    name: `${ou(STALE)} in GET /regions, with a reason`,
    value: staleSummary
      ? reasonOf(staleSummary) ?? 'shown without a reason'
      : 'not shown',
    expected: 'a reason',
    ok: Boolean(reasonOf(staleSummary)),
  });
  const staleInEstate = ok(estate)
    ? findNamed(estate.body, ou(STALE))
    : undefined;
  figures.push(
    info(
      `${ou(STALE)} in GET /estate`,
      staleInEstate
        ? reasonOf(staleInEstate) ?? 'shown without a reason'
        : 'not shown',
    ),
  );
  const staleMint = await backend.api('POST', '/runs', {
    pipeline: 'mint',
    region: ou(STALE),
  });
  figures.push({
    name: `POST /runs mint ${ou(STALE)}`,
    value: staleMint.status,
    expected: '4xx',
    ok: staleMint.status >= 400 && staleMint.status < 500,
  });
  const staleCheck = await backend.api('POST', '/drift/checks', {
    pipeline: 'mint',
  });
  if (ok(staleCheck)) {
    await waitForRuns(
      knex,
      [staleCheck.body.id],
      Math.min(60_000, timeLeft(options)),
    );
  }
  // The stale region's unfinished run had its lease to lose and its steps to be claimed again.
  await sleep(8000);
  const [check] = ok(staleCheck)
    ? await readRuns(knex, [staleCheck.body.id])
    : [];
  const [staleRunNow] = await readRuns(knex, [staleRun]);
  figures.push(
    info(
      'mint drift check without dev/eu-west-1',
      check ? check.status : `POST answered ${staleCheck.status}`,
    ),
    info(
      `${ou(STALE)}'s run cut short by the kill`,
      staleRunNow?.status ?? '?',
    ),
    mustEqual(
      `accounts minted for ${ou(STALE)} after the restart`,
      creationsOf(sandbox, ou(STALE), restartedAt),
      0,
    ),
  );

  // 3. Defect 2: a request refused while the configuration makes a request invalid leaves nothing behind.
  const refused = await backend.api('POST', '/regions', REFUSED);
  figures.push({
    name: `POST /regions ${ou(REFUSED)} while not allowed`,
    value: refused.status,
    expected: '400',
    ok: refused.status === 400,
  });
  // Every request answered 4xx while a stale request was in the database, the other environment's too when
  // the stale one made it fail: none may leave a row behind, or a later drift check would mint it.
  const refusedOus = [
    ...(ok(otherEnvironment) ? [] : [ou(OTHER_ENVIRONMENT)]),
    ...(ok(refused) ? [] : [ou(REFUSED)]),
  ];
  let rows = 0;
  for (const name of refusedOus) {
    const [requested] = await knex('requested_regions')
      .where('region_ou', name)
      .count({ count: '*' });
    const [started] = await knex('runs')
      .where('region', name)
      .count({ count: '*' });
    rows += Number(requested.count) + Number(started.count);
  }
  figures.push(
    info('requests refused while a request was stale', refusedOus.join(', ')),
    mustEqual('rows written for refused requests', rows, 0),
  );
  await backend.stop();

  backend = await start('allowing-again', allowing);
  const checkedAt = Date.now();
  const allowedCheck = await backend.api('POST', '/drift/checks', {
    pipeline: 'mint',
  });
  if (ok(allowedCheck)) {
    await waitForRuns(
      knex,
      [allowedCheck.body.id],
      Math.min(60_000, timeLeft(options)),
    );
    // Repairs the check started: wait for them too, so that any creation they make is seen.
    const repairs = (await readRuns(knex)).filter(
      r =>
        time(r.created_at) >= checkedAt - 1000 && r.id !== allowedCheck.body.id,
    );
    await waitForRuns(
      knex,
      repairs.map(r => r.id),
      Math.min(90_000, timeLeft(options)),
    );
  }
  const [allowed] = ok(allowedCheck)
    ? await readRuns(knex, [allowedCheck.body.id])
    : [];
  figures.push(
    info(
      'mint drift check with dev/eu-west-1 allowed again',
      allowed ? allowed.status : `POST answered ${allowedCheck.status}`,
    ),
    mustEqual(
      'accounts minted for refused requests',
      refusedOus.reduce((sum, name) => sum + creationsOf(sandbox, name), 0),
      0,
    ),
  );
  await backend.stop();
});
