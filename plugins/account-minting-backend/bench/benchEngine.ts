/* eslint-disable no-console */
import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { JsonObject } from '@backstage/types';
import {
  parseRegionRequest,
  RegionRequest,
} from '@regional-minting/plugin-account-minting-common';
import { ProvisionerRegistry } from '@regional-minting/plugin-account-minting-node';
import {
  CallRecord,
  defaultSeed,
  PROFILES,
  RunningSandbox,
  Seed,
  startSandbox,
} from '@regional-minting/aws-sandbox';
import knexFactory, { Knex } from 'knex';
import { configView, readMintingConfig } from '../src/config/mintingConfig';
import { applyDatabaseMigrations } from '../src/database/migrations';
import { createMintingEngine } from '../src/createMintingEngine';
import { commandProvisioner } from '../src/provisioners/commandProvisioner';
import { startMintingBackend } from '../src/testUtils/mintingBackend';
import { waitFor } from '../src/testUtils/waitFor';

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

/**
 * A new, empty PostgreSQL database for one bench run, on the server the backend tests use
 * (BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING, else postgres@127.0.0.1:5432), or why
 * there is none: the server does not answer.
 */
export async function freshPostgresDatabase(
  label: string,
): Promise<
  { connect(): Knex; drop(): Promise<void>; name: string } | { absent: string }
> {
  const server = new URL(
    process.env.BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING ??
      'postgresql://postgres@127.0.0.1:5432',
  );
  const on = (database: string) => {
    const url = new URL(server);
    url.pathname = `/${database}`;
    return url.toString();
  };
  const admin = knexFactory({
    client: 'pg',
    connection: on('postgres'),
    pool: { min: 0, max: 1 },
    acquireConnectionTimeout: 3000,
  });
  const name = `bench_${label}_${process.pid}`.replace(/\W/g, '_');
  try {
    await admin.raw('DROP DATABASE IF EXISTS ??', [name]);
    await admin.raw('CREATE DATABASE ??', [name]);
  } catch (error) {
    return { absent: `${server.host}: ${(error as Error).message || error}` };
  } finally {
    await admin.destroy();
  }
  return {
    name,
    connect: () => knexFactory({ client: 'pg', connection: on(name) }),
    async drop() {
      const dropper = knexFactory({
        client: 'pg',
        connection: on('postgres'),
        pool: { min: 0, max: 1 },
      });
      await dropper.raw('DROP DATABASE IF EXISTS ?? WITH (FORCE)', [name]);
      await dropper.destroy();
    },
  };
}

/**
 * A backend with the plugin and its REST API on `knex`, as the backend tests start it
 * (mockServices, their default credentials), against `sandbox`: the test configuration
 * with `accountMinting`'s sections in place of its own and without its `bootstrap`.
 */
export function startBenchBackend(options: {
  knex: Knex;
  sandbox: RunningSandbox;
  accountMinting: JsonObject;
}) {
  return startMintingBackend({
    knex: options.knex,
    sandbox: options.sandbox,
    configure: accountMinting => {
      delete accountMinting.bootstrap;
      Object.assign(accountMinting, options.accountMinting);
    },
  });
}

export type BenchBackend = Awaited<ReturnType<typeof startBenchBackend>>;

/** A run as the API shows it, as far as the benches read it. */
export interface BenchRun {
  id: string;
  region: string;
  status: string;
  error?: string;
  finishedAt?: string;
}

/**
 * Waits until every run is finished, asking `backend`'s API every 250 ms (often enough,
 * as the figures come from the runs' own finishedAt, and seldom enough not to load the
 * backend being measured), and returns the runs as the API shows them.
 */
export async function runsFinished(
  backend: BenchBackend,
  runIds: string[],
  timeoutMs: number,
): Promise<BenchRun[]> {
  const finished = new Map<string, BenchRun>();
  await waitFor(
    `${runIds.length} runs to finish`,
    async () => {
      for (const id of runIds.filter(i => !finished.has(i))) {
        const run: BenchRun = (await backend.api('get', `/runs/${id}`)).body;
        if (run.finishedAt) finished.set(id, run);
      }
      return finished.size === runIds.length;
    },
    {
      timeoutMs,
      intervalMs: 250,
      describe: () =>
        `unfinished: ${runIds.filter(i => !finished.has(i)).join(', ')}`,
    },
  );
  return runIds.map(id => finished.get(id)!);
}

function countBy<T>(items: T[], key: (item: T) => string): [string, number][] {
  const counts = new Map<string, number>();
  for (const item of items) {
    counts.set(key(item), (counts.get(key(item)) ?? 0) + 1);
  }
  return [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
}

/** The calls answered with an error, by error: ` (21 DuplicateOrganizationalUnitException)`. */
export function errorsOf(calls: CallRecord[]): string {
  return countBy(
    calls.filter(c => c.error),
    c => c.error!,
  )
    .map(([error, count]) => ` (${count} ${error})`)
    .join('');
}

/** Prints the calls by operation, most first, with the errors they were answered with. */
export function printCallsByOperation(calls: CallRecord[]): void {
  for (const [operation, count] of countBy(calls, c => c.operation)) {
    console.log(
      `${String(count).padStart(7)} ${operation}${errorsOf(
        calls.filter(c => c.operation === operation),
      )}`,
    );
  }
}
