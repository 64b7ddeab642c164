#!/usr/bin/env node
/*
 * The deploy check: builds the backend bundle (`yarn build:backend`), runs it as a deployment
 * does (`node --require .../instrumentation.js packages/backend`, NODE_ENV=production, with
 * app-config.yaml and app-config.production.yaml) on PostgreSQL, in databases of its own,
 * against an AWS sandbox, on free ports; checks the health, one dry run of a region request
 * through the API as the guest user, and the metrics; then stops everything and drops the
 * databases. Skips, saying so, when PostgreSQL does not answer.
 *
 *   node packages/backend/scripts/deploy-check.mjs [--no-build]
 *
 * PostgreSQL: POSTGRES_HOST (127.0.0.1), POSTGRES_PORT (5432), POSTGRES_USER (postgres) and
 * POSTGRES_PASSWORD (none), as app-config.production.yaml reads them. The bundle is built
 * unless it is newer than every file it is built from; --no-build runs the one in
 * packages/backend/dist whatever its age.
 */
import { spawn } from 'node:child_process';
import {
  createWriteStream,
  existsSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { connect, createServer } from 'node:net';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const YARN = join(ROOT, '.yarn/releases/yarn-4.13.0.cjs');
const DIST = join(ROOT, 'packages/backend/dist');
// Inside dist (git-ignored, emptied by the next build), and inside the repository, so that the
// bundle finds the third-party modules of this checkout's node_modules as an install would give them.
const WORK = join(DIST, 'deploy-check');
const STARTUP_TIMEOUT_MS = 180_000;

const started = Date.now();
const log = message =>
  console.log(
    `[deploy-check ${((Date.now() - started) / 1000).toFixed(0)}s] ${message}`,
  );

class CheckFailed extends Error {}
const fail = message => {
  throw new CheckFailed(message);
};

const postgres = {
  host: process.env.POSTGRES_HOST || '127.0.0.1',
  port: Number(process.env.POSTGRES_PORT || 5432),
  user: process.env.POSTGRES_USER || 'postgres',
  password: process.env.POSTGRES_PASSWORD || undefined,
};

/** Whether something accepts connections on host:port. */
function answers(host, port) {
  return new Promise(done => {
    const socket = connect(port, host);
    socket.setTimeout(2000);
    socket.on('connect', () => {
      socket.destroy();
      done(true);
    });
    socket.on('error', () => done(false));
    socket.on('timeout', () => {
      socket.destroy();
      done(false);
    });
  });
}

/** A port free now on 127.0.0.1. */
async function freePort() {
  const server = createServer().listen(0, '127.0.0.1');
  await new Promise(done => server.once('listening', done));
  const { port } = server.address();
  await new Promise(done => server.close(done));
  return port;
}

/** Runs a command to its end, its output in `logFile`; fails with the output's tail. */
function run(what, command, args, logFile, options = {}) {
  return new Promise((done, reject) => {
    const out = createWriteStream(logFile);
    const child = spawn(command, args, { cwd: ROOT, ...options });
    child.stdout.pipe(out);
    child.stderr.pipe(out);
    child.on('error', reject);
    child.on('close', code => {
      out.end(() => {
        if (code === 0) done();
        else
          reject(
            new CheckFailed(`${what} failed (exit ${code})${tail(logFile)}`),
          );
      });
    });
  });
}

/** The last lines of a log, to show with a failure. */
function tail(logFile, lines = 40) {
  if (!existsSync(logFile)) return '';
  const text = readFileSync(logFile, 'utf8').trimEnd().split('\n');
  return `; the end of ${relative(ROOT, logFile)}:\n${text
    .slice(-lines)
    .join('\n')}`;
}

/** A long-running process, its output in `logFile`; `stop` ends it and waits for it. */
function startProcess(command, args, logFile, env) {
  const out = createWriteStream(logFile);
  const child = spawn(command, args, {
    cwd: ROOT,
    env: { ...process.env, ...env },
  });
  child.stdout.pipe(out);
  child.stderr.pipe(out);
  const exited = new Promise(done => child.on('exit', done));
  return {
    child,
    exited,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      // The check is of a start, not of a graceful stop: a backend slow to stop is killed.
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Looks with `check` until it returns a value, the process is gone, or the time is up. */
async function waitFor(what, check, { process: watched, logFile }) {
  const deadline = Date.now() + STARTUP_TIMEOUT_MS;
  for (;;) {
    if (watched.child.exitCode !== null) {
      fail(
        `${what}: the process exited (${watched.child.exitCode})${tail(
          logFile,
        )}`,
      );
    }
    const value = await check().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) {
      fail(
        `${what}: nothing after ${STARTUP_TIMEOUT_MS / 1000} s${tail(logFile)}`,
      );
    }
    await new Promise(done => setTimeout(done, 500));
  }
}

/**
 * The bundle unpacked as a deployment unpacks it, its workspace packages linked by name in its
 * node_modules as `yarn install` links them (and each one's own nested modules, where this
 * checkout has some), the third-party ones found in this checkout's node_modules.
 */
function unpackBundle() {
  rmSync(WORK, { recursive: true, force: true });
  mkdirSync(WORK, { recursive: true });
  return run(
    'unpacking the bundle',
    'tar',
    ['xzf', join(DIST, 'bundle.tar.gz'), '-C', WORK],
    join(DIST, 'deploy-check-unpack.log'),
  ).then(() => {
    const workspaces = ['packages', 'plugins'].flatMap(folder =>
      readdirSync(join(WORK, folder)).map(name => join(folder, name)),
    );
    const names = new Map(
      workspaces.map(workspace => [
        JSON.parse(readFileSync(join(WORK, workspace, 'package.json'), 'utf8'))
          .name,
        workspace,
      ]),
    );
    for (const [name, workspace] of names) {
      const link = join(WORK, 'node_modules', name);
      mkdirSync(dirname(link), { recursive: true });
      symlinkSync(join(WORK, workspace), link);
      const nested = join(ROOT, workspace, 'node_modules');
      if (!existsSync(nested)) continue;
      for (const entry of readdirSync(nested)) {
        const scoped = entry.startsWith('@')
          ? readdirSync(join(nested, entry)).map(n => `${entry}/${n}`)
          : [entry];
        for (const module of scoped) {
          if (names.has(module) || module.startsWith('.')) continue;
          const target = join(WORK, workspace, 'node_modules', module);
          mkdirSync(dirname(target), { recursive: true });
          symlinkSync(join(nested, module), target);
        }
      }
    }
  });
}

/**
 * When the newest file the bundle is built from changed: the workspaces' files, their outputs and
 * installed modules left out, and the manifests and lockfile of the repository.
 */
function newestSource() {
  const skipped = new Set(['node_modules', 'dist', 'dist-types', '.cache']);
  let newest = 0;
  const visit = path => {
    for (const entry of readdirSync(path, { withFileTypes: true })) {
      if (skipped.has(entry.name)) continue;
      const child = join(path, entry.name);
      if (entry.isDirectory()) visit(child);
      else newest = Math.max(newest, statSync(child).mtimeMs);
    }
  };
  visit(join(ROOT, 'packages'));
  visit(join(ROOT, 'plugins'));
  for (const file of ['package.json', 'yarn.lock']) {
    newest = Math.max(newest, statSync(join(ROOT, file)).mtimeMs);
  }
  return newest;
}

async function dropDatabases(client, prefix) {
  const { rows } = await client.query(
    'select datname from pg_database where datname like $1',
    [`${prefix}%`],
  );
  for (const { datname } of rows) {
    await client.query(`drop database if exists "${datname}" with (force)`);
  }
  return rows.length;
}

async function main() {
  if (!(await answers(postgres.host, postgres.port))) {
    log(
      `SKIPPED: PostgreSQL does not answer on ${postgres.host}:${postgres.port} (set POSTGRES_HOST and POSTGRES_PORT to use another server)`,
    );
    return;
  }
  const admin = new pg.Client({ ...postgres, database: 'postgres' });
  await admin
    .connect()
    .catch(error =>
      fail(
        `PostgreSQL on ${postgres.host}:${postgres.port} refused ${postgres.user}: ${error.message} (set POSTGRES_USER and POSTGRES_PASSWORD)`,
      ),
    );
  const prefix = `deploy_check_${Date.now().toString(36)}_`;
  const stops = [];
  try {
    const bundle = join(DIST, 'bundle.tar.gz');
    if (process.argv.includes('--no-build')) {
      log('using the bundle already built in packages/backend/dist');
    } else if (
      existsSync(bundle) &&
      statSync(bundle).mtimeMs > newestSource()
    ) {
      log(
        'the bundle in packages/backend/dist is newer than its sources: not rebuilt',
      );
    } else {
      log('building the backend bundle: yarn build:backend');
      mkdirSync(DIST, { recursive: true });
      const buildLog = join(ROOT, 'packages/backend/deploy-check-build.log');
      await run(
        'yarn build:backend',
        process.execPath,
        [YARN, 'build:backend'],
        buildLog,
      );
      rmSync(buildLog);
    }
    if (!existsSync(bundle)) {
      fail(
        'packages/backend/dist/bundle.tar.gz is missing: run yarn build:backend',
      );
    }
    await unpackBundle();
    log(`unpacked the bundle into ${relative(ROOT, WORK)}`);

    const [sandboxPort, backendPort, metricsPort] = [
      await freePort(),
      await freePort(),
      await freePort(),
    ];
    const sandboxLog = join(WORK, 'sandbox.log');
    const sandbox = startProcess(
      process.execPath,
      ['packages/aws-sandbox/bin/aws-sandbox', '--port', String(sandboxPort)],
      sandboxLog,
    );
    stops.push(() => sandbox.stop());
    const sandboxUrl = `http://127.0.0.1:${sandboxPort}`;

    // What this check changes of production's configuration: its ports, databases of its own,
    // the sandbox and its keys, and a guest sign-in, which production refuses otherwise.
    const backendUrl = `http://127.0.0.1:${backendPort}`;
    const checkConfig = join(WORK, 'app-config.deploy-check.yaml');
    writeFileSync(
      checkConfig,
      JSON.stringify({
        app: { baseUrl: backendUrl },
        backend: {
          baseUrl: backendUrl,
          listen: `127.0.0.1:${backendPort}`,
          database: { prefix },
        },
        auth: {
          providers: { guest: { dangerouslyAllowOutsideDevelopment: true } },
        },
        aws: {
          mainAccount: {
            accessKeyId: 'AKIASANDBOXCENTRAL01',
            secretAccessKey: 'sandbox-central-account-secret-key',
          },
        },
        accountMinting: { aws: { endpoint: sandboxUrl } },
      }),
    );
    const backendLog = join(WORK, 'backend.log');
    log(
      `starting the bundle on ${backendUrl} (metrics on :${metricsPort}), PostgreSQL ${postgres.host}:${postgres.port} databases ${prefix}*, the sandbox on ${sandboxUrl}`,
    );
    const backend = startProcess(
      process.execPath,
      [
        '--require',
        join(WORK, 'packages/backend/src/instrumentation.js'),
        join(WORK, 'packages/backend'),
        '--config',
        'app-config.yaml',
        '--config',
        'app-config.production.yaml',
        '--config',
        checkConfig,
      ],
      backendLog,
      {
        NODE_ENV: 'production',
        POSTGRES_HOST: postgres.host,
        POSTGRES_PORT: String(postgres.port),
        POSTGRES_USER: postgres.user,
        POSTGRES_PASSWORD: postgres.password ?? '',
        OTEL_EXPORTER_PROMETHEUS_PORT: String(metricsPort),
        OTEL_EXPORTER_PROMETHEUS_HOST: '127.0.0.1',
      },
    );
    stops.push(() => backend.stop());

    await waitFor(
      'the sandbox',
      async () =>
        (await fetch(`${sandboxUrl}/_sandbox/health`)).ok ? true : undefined,
      { process: sandbox, logFile: sandboxLog },
    );
    const health = await waitFor(
      'GET /api/account-minting/health to answer 200',
      async () => {
        const response = await fetch(
          `${backendUrl}/api/account-minting/health`,
        );
        return response.status === 200 ? response.json() : undefined;
      },
      { process: backend, logFile: backendLog },
    );
    if (health.status !== 'ok' || health.database?.client !== 'pg') {
      fail(`the health is not ok on PostgreSQL: ${JSON.stringify(health)}`);
    }
    log(`health: ${JSON.stringify(health)}`);

    const refresh = await fetch(`${backendUrl}/api/auth/guest/refresh`, {
      headers: { 'X-Requested-With': 'XMLHttpRequest' },
    });
    if (!refresh.ok) {
      fail(`guest sign-in answered ${refresh.status}: ${await refresh.text()}`);
    }
    const token = (await refresh.json()).backstageIdentity.token;
    const request = {
      environment: 'dev',
      region: 'us-east-2',
      owner: 'deploycheck',
      dryRun: true,
    };
    const planned = await fetch(`${backendUrl}/api/account-minting/regions`, {
      method: 'POST',
      headers: {
        Authorization: `Bearer ${token}`,
        'Content-Type': 'application/json',
      },
      body: JSON.stringify(request),
    });
    const plan = await planned.json();
    if (planned.status !== 200 || plan.region !== 'dev-deploycheck-us-east-2') {
      fail(
        `the dry run of ${JSON.stringify(request)} answered ${
          planned.status
        }: ${JSON.stringify(plan)}`,
      );
    }
    log(`dry run: ${planned.status}, the plan of ${plan.region}`);

    const metrics = await (
      await fetch(`http://127.0.0.1:${metricsPort}/metrics`)
    ).text();
    if (!metrics.includes('account_minting_findings_open')) {
      fail(`/metrics on :${metricsPort} has no account_minting_* metrics`);
    }
    log(`metrics: /metrics on :${metricsPort} serves account_minting_*`);
  } finally {
    await Promise.all(stops.map(stop => stop()));
    const dropped = await dropDatabases(admin, prefix).catch(error => {
      log(`could not drop the databases ${prefix}*: ${error.message}`);
      return 0;
    });
    await admin.end();
    log(
      `stopped the backend and the sandbox; dropped ${dropped} database(s) ${prefix}*`,
    );
  }
  rmSync(WORK, { recursive: true, force: true });
  log('passed');
}

main().catch(error => {
  console.error(
    `[deploy-check] FAILED: ${
      error instanceof CheckFailed ? error.message : error.stack
    }`,
  );
  process.exitCode = 1;
});
