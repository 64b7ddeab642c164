/* eslint-disable no-console */
// Reliability experiment "replicas": two backends on one PostgreSQL database, 10 dev regions requested from
// either in turn, one of them killed (SIGKILL) mid-way. No step may be executed by two workers at once, the
// sandbox may refuse no more CreateAccount calls (five creations in progress per organization) than the same
// workload on one backend, and the killed backend's steps must be resumed by the other: how long that takes is
// the takeover time. PostgreSQL is required.
//   yarn workspace @regional-minting/plugin-account-minting-backend reliability:replicas [--time-scale 0.05]
import { RunningSandbox } from '@regional-minting/aws-sandbox';
import { Knex } from 'knex';
import {
  atLeast,
  atMost,
  BackendProcess,
  createdTwice,
  devRegions,
  experimentConfig,
  Figure,
  freshDatabase,
  info,
  LEASE_SECONDS,
  mustEqual,
  progress,
  readOptions,
  readStuckSteps,
  refusedCreations,
  requestRegion,
  runExperiment,
  sandboxAccounts,
  seconds,
  sleep,
  startBackend,
  startExperimentSandbox,
  StepRow,
  time,
  timeLeft,
  waitForRuns,
} from './harness';

const REGIONS = 10;
const ACCOUNTS_PER_REGION = 3;
// The replica is killed once the sandbox has accepted this share of the creations.
const KILL_AFTER_CREATIONS = 0.5;
const WATCH_INTERVAL_MS = 100;

const options = readOptions('replicas', {
  timeScale: 0.05,
  deadlineSeconds: 330,
});

interface Observation {
  at: number;
  status: string;
  owner: string | null;
  lease: number | null;
  attempts: number;
}

/**
 * Reads every step of the database every 100 ms and keeps what changed: who holds each step, its lease
 * and its attempts, and when each worker was last seen claiming or renewing a lease.
 */
class StepWatcher {
  readonly last = new Map<string, Observation & { key: string }>();
  /** Steps that passed from one worker to another while running, with what was seen before and after. */
  readonly handovers: {
    stepId: string;
    key: string;
    from: Observation;
    to: Observation;
  }[] = [];
  /** Every claim seen, by step: when a reading first showed its attempts grown. */
  readonly claims = new Map<string, { at: number; attempts: number }[]>();
  /** The last time each worker claimed a step or renewed a lease. */
  readonly activity = new Map<string, number>();
  private stopped = false;
  private done?: Promise<void>;

  constructor(private readonly knex: Knex) {}

  start() {
    this.done = (async () => {
      while (!this.stopped) {
        await this.poll().catch(() => {});
        await sleep(WATCH_INTERVAL_MS);
      }
    })();
  }

  async stop() {
    this.stopped = true;
    await this.done;
  }

  async poll() {
    const rows: StepRow[] = await this.knex<StepRow>('steps').select(
      'id',
      'key',
      'status',
      'lease_owner',
      'lease_expires_at',
      'attempts',
    );
    const at = Date.now();
    for (const row of rows) {
      const seen: Observation = {
        at,
        status: row.status,
        owner: row.lease_owner,
        lease: row.lease_expires_at ? time(row.lease_expires_at) : null,
        attempts: row.attempts,
      };
      const before = this.last.get(row.id);
      if (
        seen.owner &&
        (!before || before.owner !== seen.owner || before.lease !== seen.lease)
      ) {
        this.activity.set(seen.owner, at);
      }
      if (
        before?.status === 'running' &&
        seen.status === 'running' &&
        before.owner &&
        seen.owner &&
        before.owner !== seen.owner
      ) {
        this.handovers.push({
          stepId: row.id,
          key: row.key,
          from: before,
          to: seen,
        });
      }
      if (!before || before.attempts !== seen.attempts) {
        const claims = this.claims.get(row.id) ?? [];
        claims.push({ at, attempts: seen.attempts });
        this.claims.set(row.id, claims);
      }
      this.last.set(row.id, { ...seen, key: row.key });
    }
  }

  /** The running steps now, by id. */
  running(): Map<string, Observation & { key: string }> {
    return new Map([...this.last].filter(([, o]) => o.status === 'running'));
  }
}

/** Steps whose log shows more than one CreateAccount request: their account was asked for twice. */
async function stepsLoggingTwoCreations(knex: Knex): Promise<string[]> {
  const lines: { step_id: string; message: string }[] = await knex('step_logs')
    .where('message', 'like', 'CreateAccount %')
    .select('step_id', 'message');
  const requests = new Map<string, Set<string>>();
  for (const line of lines) {
    const request = /request (\S+)/.exec(line.message)?.[1];
    if (!request) continue;
    const set = requests.get(line.step_id) ?? new Set<string>();
    set.add(request);
    requests.set(line.step_id, set);
  }
  return [...requests].filter(([, set]) => set.size > 1).map(([id]) => id);
}

interface PhaseResult {
  figures: Figure[];
  refused: number;
}

/** The workload on `replicas` backends of one database and one sandbox; with `kill`, the second dies mid-way. */
async function phase(
  label: string,
  replicas: 1 | 2,
  kill: boolean,
): Promise<PhaseResult> {
  const sandbox: RunningSandbox = await startExperimentSandbox(
    options.timeScale,
  );
  const database = await freshDatabase(`replicas_${replicas}`, {
    workdir: options.workdir,
    requirePostgres: true,
  });
  const config = experimentConfig(sandbox.endpoint, options.timeScale);
  // One after the other: two backends starting at once on an empty database race on creating the
  // migration lock tables (Backstage's scheduler's and the plugin's), and one of them fails to start.
  const backends: BackendProcess[] = [];
  for (let i = 0; i < replicas; i++) {
    backends.push(
      await startBackend({
        name: `${label.replace(/\W+/g, '-')}-replica-${i + 1}`,
        workdir: options.workdir,
        database,
        config,
      }),
    );
  }
  const knex = database.knex();
  const watcher = new StepWatcher(knex);
  watcher.start();

  const requestedAt = Date.now();
  const prefix = `r${replicas}x`;
  const runIds: string[] = [];
  for (const [i, request] of devRegions(prefix, REGIONS).entries()) {
    runIds.push(await requestRegion(backends[i % replicas], request));
  }
  progress(
    `${label}: ${REGIONS} regions requested from ${replicas} backend(s)`,
  );

  const figures: Figure[] = [];
  let killedAt: number | undefined;
  let heldByKilled: Map<string, Observation & { key: string }> | undefined;
  if (kill) {
    const wanted = Math.ceil(
      REGIONS * ACCOUNTS_PER_REGION * KILL_AFTER_CREATIONS,
    );
    while (sandbox.sandbox.state.createAccountRequests.size < wanted) {
      if (timeLeft(options) === 0)
        throw new Error('no creation started in time');
      await sleep(100);
    }
    await watcher.poll();
    const victim = backends[1];
    await victim.kill();
    killedAt = Date.now();
    // What was committed before the kill, including renewals made since the last reading.
    await watcher.poll();
    heldByKilled = watcher.running();
    progress(
      `${label}: killed ${victim.name} (pid ${victim.pid}) after ${seconds(
        killedAt - requestedAt,
      )}, ${heldByKilled.size} steps running in all`,
    );
  }

  const runs = await waitForRuns(knex, runIds, timeLeft(options));
  await watcher.stop();
  const finished = runs.filter(r => r.finished_at);
  const stuck = await readStuckSteps(knex);
  const { accounts, duplicates } = sandboxAccounts(sandbox, `dev-${prefix}`);
  const twice = createdTwice(sandbox, `dev-${prefix}`);
  const loggedTwice = await stepsLoggingTwoCreations(knex);
  const refused = refusedCreations(sandbox);

  // Workers that claimed or renewed nothing from a second after the kill on are the killed backend's.
  const graceMs = 1000;
  const dead = new Set(
    [...(heldByKilled?.values() ?? [])]
      .map(o => o.owner!)
      .filter(
        owner => (watcher.activity.get(owner) ?? 0) < killedAt! + graceMs,
      ),
  );
  // A step passed on from a live worker: its lease expired while that worker was running it.
  const fromLiveWorkers = watcher.handovers.filter(
    h => !dead.has(h.from.owner!) && (h.from.lease ?? 0) < h.to.at,
  );
  const twiceAtOnce = new Set([
    ...fromLiveWorkers.map(h => h.stepId),
    ...loggedTwice,
  ]);

  const p = (name: string) => `${label}: ${name}`;
  figures.push(
    mustEqual(p('runs finished'), finished.length, REGIONS),
    mustEqual(
      p('failed runs'),
      runs.filter(r => r.finished_at && r.status !== 'succeeded').length,
      0,
    ),
    mustEqual(p('accounts'), accounts.length, REGIONS * ACCOUNTS_PER_REGION),
    mustEqual(p('duplicate accounts (same name or email)'), duplicates, 0),
    mustEqual(p('stuck steps'), stuck.length, 0),
    {
      name: p('steps executed twice'),
      value: `${
        twiceAtOnce.size + twice.length
      } (CreateAccount accepted twice: ${
        twice.length
      }, two requests in a step's log: ${
        loggedTwice.length
      }, lease taken from a live worker: ${fromLiveWorkers.length})`,
      expected: '= 0',
      ok: twiceAtOnce.size + twice.length === 0,
    },
    info(
      p('CreateAccount calls refused (5 in progress)'),
      killedAt
        ? `${refused} (${
            refused - refusedCreations(sandbox, killedAt)
          } before the kill, ${refusedCreations(sandbox, killedAt)} after)`
        : refused,
    ),
  );

  if (kill && heldByKilled && killedAt) {
    const killedSteps = [...heldByKilled].filter(([, o]) => dead.has(o.owner!));
    // Each claim adds an attempt: the first reading after the kill with more attempts is the takeover.
    const resumed = killedSteps.map(
      ([id, before]) =>
        watcher.claims
          .get(id)
          ?.find(c => c.at > killedAt! && c.attempts > before.attempts)?.at,
    );
    const delays = resumed
      .filter((at): at is number => at !== undefined)
      .map(at => at - killedAt!)
      .sort((a, b) => a - b);
    figures.push(
      atLeast(p("killed replica's running steps"), killedSteps.length, 1),
      mustEqual(
        p("killed replica's steps resumed by the other"),
        delays.length,
        killedSteps.length,
      ),
      info(
        p(`takeover time (lease ${LEASE_SECONDS} s): first, median, last`),
        delays.length
          ? `${seconds(delays[0])}, ${seconds(
              delays[Math.floor(delays.length / 2)],
            )}, ${seconds(delays[delays.length - 1])}`
          : 'none',
      ),
    );
  }
  figures.push(
    info(
      p('time to finish'),
      finished.length === runs.length
        ? seconds(
            Math.max(...finished.map(r => time(r.finished_at!))) - requestedAt,
          )
        : 'not finished',
    ),
  );
  runs
    .filter(r => r.status !== 'succeeded')
    .forEach(r =>
      console.log(`  ${label} ${r.region}: ${r.status} ${r.error ?? ''}`),
    );
  if (twice.length)
    console.log(`  ${label} created twice: ${twice.join(', ')}`);
  fromLiveWorkers.forEach(h =>
    console.log(
      `  ${label} ${
        h.key
      }: passed from a live worker whose lease ended ${seconds(
        h.to.at - (h.from.lease ?? 0),
      )} before`,
    ),
  );

  await Promise.all(backends.map(b => b.stop()));
  await database.drop();
  await sandbox.close();
  return { figures, refused };
}

runExperiment('replicas', options, async figures => {
  // Say at once, and fail, when PostgreSQL is absent: two backends cannot share a SQLite file.
  await freshDatabase('replicas_check', {
    workdir: options.workdir,
    requirePostgres: true,
  }).then(db => db.drop());
  const one = await phase('1 replica', 1, false);
  figures.push(...one.figures);
  const two = await phase('2 replicas', 2, true);
  figures.push(...two.figures);
  figures.push(
    atMost(
      'CreateAccount calls refused, 2 replicas against 1',
      two.refused,
      one.refused,
    ),
  );
});
