/* eslint-disable no-console */
// What the reliability experiments share: options and deadlines, the figures table, a fresh database per
// experiment, backends as OS processes (reliability/backendProcess.ts), the sandbox in this process, and
// readings of the database and the sandbox (runs, stuck steps, duplicate accounts).
import { JsonObject } from '@backstage/types';
import {
  defaultSeed,
  PROFILES,
  RunningSandbox,
  seededRandom,
  startSandbox,
} from '@regional-minting/aws-sandbox';
import knexFactory, { Knex } from 'knex';
import { ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import {
  appendFileSync,
  closeSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { benchCallsPerSecond } from '../bench/benchEngine';
import { mintingTestConfig } from '../src/testUtils/mintingBackend';

export { sleep };

const PACKAGE_DIR = resolve(__dirname, '..');
const BACKEND_SCRIPT = join(__dirname, 'backendProcess.ts');
const NODE_TRANSFORM = require.resolve(
  '@backstage/cli/config/nodeTransform.cjs',
);

// ---------------------------------------------------------------------------------------------------
// Options, randomness, figures and the deadline

export interface ExperimentOptions {
  /** Multiplies every duration of the sandbox's realistic profile. */
  timeScale: number;
  /** Seeds the experiment's random choices (kill moments), printed so that a run can be repeated. */
  seed: number;
  /** The whole experiment's bound: past it, it is aborted and fails. */
  deadlineSeconds: number;
  /** Where the backends' configuration files and logs go. */
  workdir: string;
}

/** Reads `--time-scale`, `--seed` and `--deadline` (seconds), with the experiment's defaults. */
export function readOptions(
  name: string,
  defaults: { timeScale: number; deadlineSeconds: number },
): ExperimentOptions {
  const { values } = parseArgs({
    options: {
      'time-scale': { type: 'string' },
      seed: { type: 'string' },
      deadline: { type: 'string' },
    },
  });
  const timeScale = Number(values['time-scale'] ?? defaults.timeScale);
  if (!(timeScale > 0) || !Number.isFinite(timeScale)) {
    throw new Error(
      `--time-scale: must be a number above 0, not ${values['time-scale']}`,
    );
  }
  const deadlineSeconds = Number(values.deadline ?? defaults.deadlineSeconds);
  if (!(deadlineSeconds > 0)) {
    throw new Error(`--deadline: must be seconds above 0`);
  }
  const seed = Number(values.seed ?? Math.floor(Math.random() * 2 ** 31));
  if (!Number.isInteger(seed)) throw new Error(`--seed: must be an integer`);
  const workdir = mkdtempSync(join(tmpdir(), `minting-reliability-${name}-`));
  return { timeScale, seed, deadlineSeconds, workdir };
}

/** Seeded draws, as the sandbox's fault plan makes them, so that a run's random choices repeat. */
export { seededRandom };

/** One figure an experiment prints: `ok` false makes the experiment fail; undefined is informational. */
export interface Figure {
  name: string;
  value: string | number;
  expected?: string;
  ok?: boolean;
}

/** A figure that must equal `expected`. */
export function mustEqual(
  name: string,
  value: number,
  expected: number,
): Figure {
  return { name, value, expected: `= ${expected}`, ok: value === expected };
}

/** A figure that must be at most `max`. */
export function atMost(name: string, value: number, max: number): Figure {
  return { name, value, expected: `<= ${max}`, ok: value <= max };
}

/** A figure that must be at least `min`. */
export function atLeast(name: string, value: number, min: number): Figure {
  return { name, value, expected: `>= ${min}`, ok: value >= min };
}

/** A figure that is printed but not checked. */
export function info(name: string, value: string | number): Figure {
  return { name, value };
}

function verdict(ok: boolean | undefined): string {
  if (ok === undefined) return '';
  return ok ? 'ok' : 'WRONG';
}

export function printTable(title: string, figures: Figure[]) {
  const rows = [
    ['figure', 'value', 'expected', 'verdict'],
    ...figures.map(f => [
      f.name,
      String(f.value),
      f.expected ?? '',
      verdict(f.ok),
    ]),
  ];
  const widths = rows[0].map((_, i) => Math.max(...rows.map(r => r[i].length)));
  const line = (r: string[]) =>
    `| ${r.map((cell, i) => cell.padEnd(widths[i])).join(' | ')} |`;
  console.log(`\n${title}`);
  console.log(line(rows[0]));
  console.log(`|${widths.map(w => '-'.repeat(w + 2)).join('|')}|`);
  rows.slice(1).forEach(r => console.log(line(r)));
}

export const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

const STARTED = performance.now();

/** Logs a line of progress with the time since the experiment started. */
export function progress(message: string) {
  console.log(`[${seconds(performance.now() - STARTED)}] ${message}`);
}
/** What is left of the experiment's deadline, less a margin to measure and report in. */
export function timeLeft(options: ExperimentOptions, marginMs = 20_000) {
  return Math.max(
    0,
    options.deadlineSeconds * 1000 - (performance.now() - STARTED) - marginMs,
  );
}

const cleanups: (() => Promise<void> | void)[] = [];
const children = new Set<ChildProcess>();

/** Runs at the end of the experiment, whether it passed, failed or ran out of time (last added, first run). */
export function onCleanup(cleanup: () => Promise<void> | void) {
  cleanups.unshift(cleanup);
}

async function cleanUp() {
  children.forEach(child => child.kill('SIGKILL'));
  for (const cleanup of cleanups.splice(0)) {
    await Promise.race([
      Promise.resolve()
        .then(cleanup)
        .catch(error => console.error(`cleanup: ${error}`)),
      sleep(10_000),
    ]);
  }
}

process.on('exit', () => children.forEach(child => child.kill('SIGKILL')));

/**
 * Runs an experiment: its body fills `figures` as it learns them, so that a run stopped by its deadline
 * still prints what it measured. Exits 0 when every checked figure is right, 1 otherwise, 2 when the
 * deadline or an error stopped it.
 */
export async function runExperiment(
  title: string,
  options: ExperimentOptions,
  body: (figures: Figure[]) => Promise<void>,
): Promise<never> {
  const figures: Figure[] = [];
  let code = 0;
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<'deadline'>(resolveDeadline => {
    timer = setTimeout(
      () => resolveDeadline('deadline'),
      options.deadlineSeconds * 1000,
    );
  });
  progress(
    `${title}: seed ${options.seed}, deadline ${options.deadlineSeconds} s, files in ${options.workdir}`,
  );
  try {
    const outcome = await Promise.race([body(figures), deadline]);
    if (outcome === 'deadline') {
      figures.push({
        name: 'finished before the deadline',
        value: 'no',
        expected: `within ${options.deadlineSeconds} s`,
        ok: false,
      });
      code = 2;
    }
  } catch (error) {
    console.error(`\n${title}: ${(error as Error)?.stack ?? error}`);
    figures.push({
      name: 'error',
      value: String((error as Error)?.message ?? error)
        .split('\n')[0]
        .slice(0, 160),
      ok: false,
    });
    code = 2;
  }
  clearTimeout(timer);
  printTable(
    `${title} (time scale ${options.timeScale}, seed ${options.seed})`,
    figures,
  );
  const wrong = figures.filter(f => f.ok === false);
  if (code === 0 && wrong.length > 0) code = 1;
  console.log(
    code === 0
      ? `${title}: PASSED`
      : `${title}: FAILED (${wrong.map(f => f.name).join('; ')})`,
  );
  await cleanUp();
  if (code === 0) rmSync(options.workdir, { recursive: true, force: true });
  else console.log(`backend logs and configuration kept in ${options.workdir}`);
  process.exit(code);
}

// ---------------------------------------------------------------------------------------------------
// Databases

/** PostgreSQL as the backends reach it: 127.0.0.1:5432, user postgres, unless POSTGRES_* say otherwise. */
function postgresConnection(database?: string) {
  return {
    host: process.env.POSTGRES_HOST ?? '127.0.0.1',
    port: Number(process.env.POSTGRES_PORT ?? 5432),
    user: process.env.POSTGRES_USER ?? 'postgres',
    ...(process.env.POSTGRES_PASSWORD
      ? { password: process.env.POSTGRES_PASSWORD }
      : {}),
    ...(database ? { database } : {}),
  };
}

export interface ExperimentDatabase {
  kind: 'postgres' | 'sqlite';
  /** The PostgreSQL database, or the SQLite file. */
  name: string;
  /** `backend.database` for the backends. */
  backendConfig: JsonObject;
  /** The harness's own connection, to read runs, steps and logs. */
  knex(): Knex;
  drop(): Promise<void>;
}

/** Whether a PostgreSQL server answers, and why not. */
export async function postgresAvailable(): Promise<string | undefined> {
  const admin = knexFactory({
    client: 'pg',
    connection: postgresConnection('postgres'),
    pool: { min: 0, max: 1 },
    acquireConnectionTimeout: 3000,
  });
  try {
    await admin.raw('select 1');
    return undefined;
  } catch (error) {
    return `${(error as Error).message || error}`;
  } finally {
    await admin.destroy();
  }
}

/**
 * A new, empty database for one experiment: a PostgreSQL database made here (and dropped at the end) when
 * a server answers, else (unless PostgreSQL is required) a SQLite file in the experiment's folder.
 */
export async function freshDatabase(
  label: string,
  options: { workdir: string; requirePostgres?: boolean },
): Promise<ExperimentDatabase> {
  const absent = await postgresAvailable();
  if (absent) {
    const where = `${postgresConnection().host}:${postgresConnection().port}`;
    if (options.requirePostgres) {
      throw new Error(
        `PostgreSQL is required and does not answer on ${where} (user ${
          postgresConnection().user
        }): ${absent}`,
      );
    }
    progress(
      `PostgreSQL does not answer on ${where} (${absent}): a SQLite file instead`,
    );
    const directory = join(options.workdir, `db-${label}`);
    mkdirSync(directory, { recursive: true });
    const file = join(directory, 'account-minting.sqlite');
    let knex: Knex | undefined;
    return {
      kind: 'sqlite',
      name: file,
      backendConfig: { client: 'better-sqlite3', connection: { directory } },
      knex: () =>
        (knex ??= knexFactory({
          client: 'better-sqlite3',
          connection: { filename: file },
          useNullAsDefault: true,
        })),
      drop: async () => {
        await knex?.destroy();
      },
    };
  }
  const name = `reliability_${label}_${process.pid}`
    .toLowerCase()
    .replace(/[^a-z0-9_]/g, '_');
  const admin = knexFactory({
    client: 'pg',
    connection: postgresConnection('postgres'),
    pool: { min: 0, max: 1 },
  });
  await admin.raw('DROP DATABASE IF EXISTS ??', [name]);
  await admin.raw('CREATE DATABASE ??', [name]);
  await admin.destroy();
  let knex: Knex | undefined;
  const database: ExperimentDatabase = {
    kind: 'postgres',
    name,
    backendConfig: {
      client: 'pg',
      connection: postgresConnection(),
      // Only the plugin uses a database; it gets this one rather than backstage_plugin_account-minting.
      plugin: { 'account-minting': { connection: { database: name } } },
    },
    knex: () =>
      (knex ??= knexFactory({
        client: 'pg',
        connection: postgresConnection(name),
        pool: { min: 0, max: 3 },
      })),
    drop: async () => {
      await knex?.destroy();
      knex = undefined;
      const dropper = knexFactory({
        client: 'pg',
        connection: postgresConnection('postgres'),
        pool: { min: 0, max: 1 },
      });
      try {
        await dropper.raw('DROP DATABASE IF EXISTS ?? WITH (FORCE)', [name]);
      } finally {
        await dropper.destroy();
      }
    },
  };
  onCleanup(() => database.drop());
  progress(`PostgreSQL database ${name}`);
  return database;
}

// ---------------------------------------------------------------------------------------------------
// The sandbox and the configuration

/** The sandbox of the design document's estate on the realistic profile, time-scaled, in this process. */
export async function startExperimentSandbox(
  timeScale: number,
): Promise<RunningSandbox> {
  const running = await startSandbox({
    port: 0,
    seed: defaultSeed(),
    profile: PROFILES.realistic,
    timeScale,
  });
  // Closed by the experiment or at its end, whichever comes first.
  let closing: Promise<void> | undefined;
  const close = () => (closing ??= running.close());
  onCleanup(close);
  return { ...running, close };
}

/** What one region takes alone on the scaled realistic profile: its accounts' creation, then their readiness. */
export function regionAloneMs(timeScale: number): number {
  const profile = PROFILES.realistic;
  return (profile.accountCreationMs + profile.accountReadinessMs) * timeScale;
}

/** Lease of a step: a killed backend's steps are taken over this long after its last heartbeat. */
export const LEASE_SECONDS = 5;

/**
 * The configuration every backend of the experiments gets but its `backend` section: the tests'
 * accountMinting section against the sandbox (three payers, dev regions us-east-2 and eu-west-1 with an
 * owner, an RC and two MCs, the provisioning role), paced like the benches for the time scale, with short
 * leases and no scheduled drift check (the stale-config experiment starts its checks itself).
 */
export function experimentConfig(
  endpoint: string,
  timeScale: number,
  configure?: (accountMinting: JsonObject) => void,
): JsonObject {
  const data = mintingTestConfig(endpoint);
  const accountMinting = data.accountMinting as JsonObject;
  accountMinting.engine = {
    callsPerSecond: benchCallsPerSecond(timeScale),
    // Steps waiting for a creation slot hold an executor slot: room for every step of 10 regions.
    concurrency: 60,
    leaseSeconds: LEASE_SECONDS,
    pollIntervalMs: 100,
    creationPollMs: { min: 20, max: 500 },
    retries: { attempts: 12, baseDelayMs: 20, maxDelayMs: 1000 },
    maxStepAttempts: 30,
  };
  const never = {
    frequency: { hours: 24 },
    initialDelay: { hours: 24 },
    timeout: { minutes: 10 },
  };
  accountMinting.drift = {
    schedules: { mint: never, bootstrap: never, provision: never },
  };
  configure?.(accountMinting);
  return data;
}

// ---------------------------------------------------------------------------------------------------
// Backends as OS processes

export interface ApiAnswer {
  status: number;
  body: any;
}

export interface BackendProcess {
  name: string;
  pid: number;
  baseUrl: string;
  /** Calls the plugin's API, under /api/account-minting; status 0 when the backend did not answer. */
  api(method: 'GET' | 'POST', path: string, body?: unknown): Promise<ApiAnswer>;
  /** SIGKILL, as a crash: nothing runs after it. Resolves when the process is gone. */
  kill(): Promise<void>;
  /** SIGTERM, then SIGKILL after 10 s. */
  stop(): Promise<void>;
  /** Whether the process is still running. */
  alive(): boolean;
}

async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        resolvePort(typeof address === 'object' && address ? address.port : 0),
      );
    });
  });
}

function tail(file: string, lines = 30): string {
  if (!existsSync(file)) return '(no log)';
  return readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
}

/**
 * Starts a backend with the plugin as its own process (reliability/backendProcess.ts), on the database,
 * with `config` (experimentConfig's) and a port of its own, and waits until its health answers 200.
 */
export async function startBackend(options: {
  name: string;
  workdir: string;
  database: ExperimentDatabase;
  config: JsonObject;
  healthTimeoutMs?: number;
}): Promise<BackendProcess> {
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const stamp = randomUUID().slice(0, 8);
  const configFile = join(options.workdir, `${options.name}-${stamp}.json`);
  const logFile = join(options.workdir, `${options.name}.log`);
  writeFileSync(
    configFile,
    JSON.stringify(
      {
        ...options.config,
        backend: {
          baseUrl,
          listen: { host: '127.0.0.1', port },
          database: options.database.backendConfig,
          auth: { dangerouslyDisableDefaultAuthPolicy: true },
        },
        permission: { enabled: false },
      },
      null,
      2,
    ),
  );
  appendFileSync(
    logFile,
    `\n===== ${new Date().toISOString()} ${
      options.name
    } on port ${port} (${configFile})\n`,
  );
  const fd = openSync(logFile, 'a');
  const child = spawn(
    process.execPath,
    ['--require', NODE_TRANSFORM, BACKEND_SCRIPT, '--config', configFile],
    {
      cwd: PACKAGE_DIR,
      env: { ...process.env, LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn' },
      stdio: ['ignore', fd, fd],
    },
  );
  closeSync(fd);
  children.add(child);
  let exited = false;
  const exit = new Promise<void>(resolveExit =>
    child.once('exit', () => {
      exited = true;
      children.delete(child);
      resolveExit();
    }),
  );

  const api = async (
    method: 'GET' | 'POST',
    path: string,
    body?: unknown,
  ): Promise<ApiAnswer> => {
    try {
      const response = await fetch(`${baseUrl}/api/account-minting${path}`, {
        method,
        headers:
          body === undefined ? {} : { 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(30_000),
      });
      const text = await response.text();
      let parsed: unknown = text;
      try {
        parsed = JSON.parse(text);
      } catch {
        // not JSON: keep the text
      }
      return { status: response.status, body: parsed };
    } catch (error) {
      return { status: 0, body: String(error) };
    }
  };

  const healthBy = Date.now() + (options.healthTimeoutMs ?? 90_000);
  for (;;) {
    if (exited) {
      throw new Error(
        `backend ${
          options.name
        } exited before it was healthy; its log ends with:\n${tail(logFile)}`,
      );
    }
    if (Date.now() > healthBy) {
      child.kill('SIGKILL');
      throw new Error(
        `backend ${options.name} was not healthy within ${
          (options.healthTimeoutMs ?? 90_000) / 1000
        } s; its log ends with:\n${tail(logFile)}`,
      );
    }
    const health = await api('GET', '/health');
    if (health.status === 200) break;
    await sleep(200);
  }

  return {
    name: options.name,
    pid: child.pid!,
    baseUrl,
    api,
    alive: () => !exited,
    async kill() {
      if (!exited) child.kill('SIGKILL');
      await exit;
    },
    async stop() {
      if (exited) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exit;
      clearTimeout(timer);
    },
  };
}

/** POST /regions; throws unless it answers 202. Returns the run's id. */
export async function requestRegion(
  backend: BackendProcess,
  body: JsonObject,
): Promise<string> {
  const answer = await backend.api('POST', '/regions', body);
  if (answer.status !== 202) {
    throw new Error(
      `POST /regions ${JSON.stringify(body)} on ${backend.name} answered ${
        answer.status
      }: ${JSON.stringify(answer.body).slice(0, 300)}`,
    );
  }
  return answer.body.run.id;
}

// ---------------------------------------------------------------------------------------------------
// Readings of the database and the sandbox

export interface RunRow {
  id: string;
  pipeline: string;
  mode: string;
  region: string;
  status: string;
  created_at: Date | number;
  finished_at: Date | number | null;
  error: string | null;
}

export interface StepRow {
  id: string;
  run_id: string;
  key: string;
  kind: string;
  target: string;
  status: string;
  attempts: number;
  lease_owner: string | null;
  lease_expires_at: Date | number | null;
}

export const time = (value: Date | number | string) =>
  new Date(value).getTime();

export async function readRuns(knex: Knex, ids?: string[]): Promise<RunRow[]> {
  const query = knex<RunRow>('runs').select();
  if (ids) query.whereIn('id', ids);
  return query;
}

/** Waits until every run of `ids` is finished, or `timeoutMs` passed: the runs as they are then. */
export async function waitForRuns(
  knex: Knex,
  ids: string[],
  timeoutMs: number,
): Promise<RunRow[]> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const runs = await readRuns(knex, ids).catch(() => []);
    if (runs.length === ids.length && runs.every(r => r.finished_at)) {
      return runs;
    }
    if (Date.now() > until) {
      progress(
        `runs not finished within ${seconds(timeoutMs)}: ${runs
          .filter(r => !r.finished_at)
          .map(r => `${r.region} ${r.status}`)
          .join(', ')}`,
      );
      return runs;
    }
    await sleep(250);
  }
}

/** Steps still pending or running: once every run should be done, each of them is stuck. */
export async function readStuckSteps(knex: Knex): Promise<StepRow[]> {
  return knex<StepRow>('steps').whereIn('status', ['pending', 'running']);
}

/** The accounts of the sandbox whose names start with `prefix`, and how many share a name or an email. */
export function sandboxAccounts(running: RunningSandbox, prefix: string) {
  const accounts = [...running.sandbox.state.accounts.values()].filter(a =>
    a.name.startsWith(prefix),
  );
  const extra = (keys: string[]) => keys.length - new Set(keys).size;
  return {
    accounts,
    duplicates:
      extra(accounts.map(a => a.name)) +
      extra(accounts.map(a => a.email.toLowerCase())),
  };
}

/** CreateAccount requests the sandbox accepted, by account name. */
export function creationRequestsByName(
  running: RunningSandbox,
  prefix: string,
): Map<string, number> {
  const counts = new Map<string, number>();
  for (const request of running.sandbox.state.createAccountRequests.values()) {
    if (!request.accountName.startsWith(prefix)) continue;
    counts.set(request.accountName, (counts.get(request.accountName) ?? 0) + 1);
  }
  return counts;
}

/** Account names for which the sandbox accepted CreateAccount more than once. */
export function createdTwice(running: RunningSandbox, prefix: string) {
  return [...creationRequestsByName(running, prefix).entries()]
    .filter(([, count]) => count > 1)
    .map(([name]) => name);
}

/**
 * What every experiment that mints regions must show once they are done: every run
 * finished and none failed, every account there once, none created twice, no step stuck.
 * Also returns the runs that did not succeed and the accounts created twice, to print.
 */
export async function outcomeFigures(options: {
  knex: Knex;
  sandbox: RunningSandbox;
  runs: RunRow[];
  /** The prefix of the experiment's account names. */
  prefix: string;
  accounts: number;
  requestedAt: number;
}): Promise<{ figures: Figure[]; unsucceeded: RunRow[]; twice: string[] }> {
  const { runs, sandbox, prefix } = options;
  const finished = runs.filter(r => r.finished_at);
  const unsucceeded = finished.filter(r => r.status !== 'succeeded');
  const stuck = await readStuckSteps(options.knex);
  const { accounts, duplicates } = sandboxAccounts(sandbox, prefix);
  const twice = createdTwice(sandbox, prefix);
  const lastFinished = Math.max(...finished.map(r => time(r.finished_at!)));
  const figures = [
    mustEqual('runs finished', finished.length, runs.length),
    mustEqual('failed runs', unsucceeded.length, 0),
    mustEqual('accounts', accounts.length, options.accounts),
    mustEqual('duplicate accounts (same name or email)', duplicates, 0),
    mustEqual(
      'accounts whose CreateAccount was accepted twice',
      twice.length,
      0,
    ),
    mustEqual(
      'stuck steps (pending or running after the runs)',
      stuck.length,
      0,
    ),
    info(
      'time to finish (requests to last run finished)',
      finished.length === runs.length
        ? seconds(lastFinished - options.requestedAt)
        : 'not finished',
    ),
  ];
  return { figures, unsucceeded, twice };
}

/** CreateAccount calls the sandbox refused because five creations were in progress in the organization. */
export function refusedCreations(running: RunningSandbox, since = 0): number {
  // The call log keeps the error code; ConstraintViolationException on CreateAccount is the
  // ACCOUNT_CREATION_RATE_LIMIT_EXCEEDED refusal here (the quota of 100 accounts is never reached).
  return running.sandbox.calls
    .list()
    .filter(
      c =>
        c.operation === 'CreateAccount' &&
        c.error === 'ConstraintViolationException' &&
        Date.parse(c.time) >= since,
    ).length;
}

/** The dev regions the experiments request: `count` owners, alternately in us-east-2 and eu-west-1. */
export function devRegions(prefix: string, count: number): JsonObject[] {
  return Array.from({ length: count }, (_, i) => ({
    environment: 'dev',
    region: i % 2 === 0 ? 'us-east-2' : 'eu-west-1',
    owner: `${prefix}${i}`,
  }));
}

/** A region OU's name as the tests' dev pattern makes it. */
export const devRegionOu = (request: JsonObject) =>
  `dev-${request.owner}-${request.region}`;
