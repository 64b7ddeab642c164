/* eslint-disable no-console */
// Reliability experiment "bad input" (not a test): the plugin's backend, on SQLite in memory and an
// in-process AWS sandbox, gets the bad-input corpus (reliability/badInputCorpus.ts): malformed requests
// over every route of the REST API. Every answer must be the refusal the corpus expects (400, 404, 409,
// 413 or 415), never a 500, with Backstage's error body whose message names the parameter, no stack
// trace or server path, and no large echo of the input; and the sandbox must have recorded no mutating
// AWS call. Prints the figures and exits 1 when any is wrong, 2 when it ran out of time.
//   yarn workspace @regional-minting/plugin-account-minting-backend reliability:bad-input [--timeout-seconds 120]
import { defaultSeed, startSandbox } from '@regional-minting/aws-sandbox';
import knexFactory from 'knex';
import { parseArgs } from 'node:util';
import { startMintingBackend } from '../src/testUtils/mintingBackend';
import { API_ROUTES, badInputCorpus, problemsOf, send } from './badInputCorpus';

const MIN_REQUESTS = 60;
const ALLOWED_STATUSES = [400, 404, 409, 413, 415];

const { values } = parseArgs({
  options: { 'timeout-seconds': { type: 'string', default: '120' } },
});
const timeoutSeconds = Number(values['timeout-seconds']);
if (!(timeoutSeconds > 0)) {
  console.error('--timeout-seconds: must be a number above 0');
  process.exit(1);
}

// Bounded in time: whatever hangs, the experiment ends.
const deadline = setTimeout(() => {
  console.error(
    `bad input: not finished after ${timeoutSeconds} s; aborted as a failure`,
  );
  process.exit(2);
}, timeoutSeconds * 1000);
deadline.unref();

async function main(): Promise<boolean> {
  const started = Date.now();
  // As in development, where Backstage's own error handler shows stacks: the API's answers must not.
  process.env.NODE_ENV = 'development';
  const sandbox = await startSandbox({ port: 0, seed: defaultSeed() });
  const knex = knexFactory({
    client: 'better-sqlite3',
    connection: ':memory:',
    useNullAsDefault: true,
  });
  const minting = await startMintingBackend({ knex, sandbox });
  const corpus = badInputCorpus();
  const byStatus = new Map<number, number>();
  const byRoute = new Map<string, { sent: number; failed: number }>();
  const failures: string[] = [];
  try {
    for (const bad of corpus) {
      const answer = await send(minting.backend.server, bad);
      byStatus.set(answer.status, (byStatus.get(answer.status) ?? 0) + 1);
      const route = byRoute.get(bad.route) ?? { sent: 0, failed: 0 };
      route.sent += 1;
      const problems = problemsOf(bad, answer);
      if (!ALLOWED_STATUSES.includes(answer.status)) {
        problems.push(`status ${answer.status} is not a refusal`);
      }
      if (problems.length > 0) route.failed += 1;
      byRoute.set(bad.route, route);
      for (const problem of problems) {
        failures.push(`${bad.route}, ${bad.title}: ${problem}`);
      }
    }
  } finally {
    await minting.stop();
    await knex.destroy();
  }
  const mutating = sandbox.sandbox.calls
    .list()
    .filter(c => c.mutating && c.operation !== 'AssumeRole');
  await sandbox.close();
  const seconds = (Date.now() - started) / 1000;

  const uncovered = API_ROUTES.filter(route => !byRoute.has(route));
  const answered500 = [...byStatus]
    .filter(([status]) => status >= 500)
    .reduce((sum, [, count]) => sum + count, 0);
  const failedRequests = [...byRoute.values()].reduce(
    (sum, r) => sum + r.failed,
    0,
  );
  const figures: [string, number | string, boolean][] = [
    ['requests sent', corpus.length, corpus.length >= MIN_REQUESTS],
    [
      'routes covered',
      `${byRoute.size} of ${API_ROUTES.length}`,
      uncovered.length === 0,
    ],
    ...[...byStatus.keys()]
      .sort((a, b) => a - b)
      .map(
        status =>
          [
            `answered ${status}`,
            byStatus.get(status)!,
            ALLOWED_STATUSES.includes(status),
          ] as [string, number, boolean],
      ),
    ['answered 5xx', answered500, answered500 === 0],
    ['requests with a wrong answer', failedRequests, failedRequests === 0],
    ['mutating AWS calls', mutating.length, mutating.length === 0],
  ];

  console.log(
    `bad input: ${corpus.length} malformed requests in ${seconds.toFixed(1)} s`,
  );
  console.log('');
  console.log(`${'figure'.padEnd(30)} ${'value'.padStart(8)}  verdict`);
  for (const [name, value, ok] of figures) {
    console.log(
      `${name.padEnd(30)} ${String(value).padStart(8)}  ${ok ? 'ok' : 'WRONG'}`,
    );
  }
  console.log('');
  console.log(
    `${'route'.padEnd(30)} ${'sent'.padStart(8)} ${'failed'.padStart(8)}`,
  );
  for (const route of API_ROUTES) {
    const { sent, failed } = byRoute.get(route) ?? { sent: 0, failed: 0 };
    console.log(
      `${route.padEnd(30)} ${String(sent).padStart(8)} ${String(
        failed,
      ).padStart(8)}`,
    );
  }
  if (uncovered.length > 0) {
    console.log(`\nroutes the corpus misses: ${uncovered.join(', ')}`);
  }
  if (failures.length > 0) {
    console.log(`\nwrong answers:`);
    for (const failure of failures) console.log(`  ${failure}`);
  }
  for (const call of mutating) {
    console.log(`mutating AWS call: ${call.service} ${call.operation}`);
  }
  return figures.every(([, , ok]) => ok);
}

main().then(
  ok => {
    console.log(ok ? '\nverdict: ok' : '\nverdict: WRONG');
    process.exit(ok ? 0 : 1);
  },
  error => {
    console.error('bad input: the experiment failed to run', error);
    process.exit(1);
  },
);
