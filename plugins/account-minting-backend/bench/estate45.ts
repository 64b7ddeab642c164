/* eslint-disable no-console */
// Benchmark (not a test): 45 accounts of one payer, minted by 15 mint runs started at once through the
// REST API, against a sandbox whose account creations take 9 s and everything else nothing. Prints the
// wall time against the bound that five creations in flight per organization set, the AWS calls by
// operation, the refused CreateAccount calls and the failed runs; first on one backend, then on two
// replicas sharing one PostgreSQL database.
//   yarn workspace @regional-minting/plugin-account-minting-backend bench:estate45 [--single-only | --replicas-only]
import {
  CallRecord,
  defaultSeed,
  PROFILES,
  startSandbox,
} from '@regional-minting/aws-sandbox';
import knexFactory, { Knex } from 'knex';
import { parseArgs } from 'node:util';
import {
  BenchBackend,
  BenchRun,
  errorsOf,
  freshPostgresDatabase,
  printCallsByOperation,
  runsFinished,
  startBenchBackend,
} from './benchEngine';

const { values } = parseArgs({
  options: {
    'single-only': { type: 'boolean', default: false },
    'replicas-only': { type: 'boolean', default: false },
  },
});

const CREATION_MS = 9000;
// The sandbox's limit (services/organizations/accountCreation.ts), AWS's: a sixth creation in progress
// in an organization is refused with ACCOUNT_CREATION_RATE_LIMIT_EXCEEDED.
const SANDBOX_CREATIONS_IN_FLIGHT = 5;
const PAYER = { name: 'control', accountId: '200000000001' };
const ENVIRONMENTS = ['prod', 'stage', 'dev'];
const REGIONS = [
  'us-east-1',
  'us-east-2',
  'us-west-2',
  'eu-west-1',
  'eu-west-2',
];
const ACCOUNT_ROLES = [
  { name: 'regional-cluster', suffix: 'rc', count: 1 },
  { name: 'management-cluster', suffix: 'mc', count: 2 },
];
const DECLARED = ENVIRONMENTS.flatMap(environment =>
  REGIONS.map(region => ({ environment, region })),
);
const ACCOUNTS =
  DECLARED.length * ACCOUNT_ROLES.reduce((sum, role) => sum + role.count, 0);
const BOUND_MS =
  Math.ceil(ACCOUNTS / SANDBOX_CREATIONS_IN_FLIGHT) * CREATION_MS;
const RUNS_TIMEOUT_MS = 10 * BOUND_MS;

/** One payer holding three environments of five regions each, all declared; mint only (no bootstrap). */
const ACCOUNT_MINTING = {
  payers: [
    {
      ...PAYER,
      mintRoleArn: `arn:aws:iam::${PAYER.accountId}:role/AccountMinter`,
    },
  ],
  environments: ENVIRONMENTS.map(name => ({
    name,
    payer: PAYER.name,
    regions: REGIONS,
  })),
  accountRoles: ACCOUNT_ROLES,
  regions: DECLARED,
  // The engine as a deployment has it (pacing at 8 calls a second per payer, 20 steps at once, its
  // retries, leases and looks at creations, which are as long here as in AWS), except how often an
  // idle executor looks for work, so that waiting for a look does not pad the wall time.
  engine: {
    pollIntervalMs: 20,
  },
};

/** The control organization with room for the 45 accounts beside its own. */
function benchSeed() {
  const seed = defaultSeed();
  const control = seed.organizations.find(
    o => o.managementAccount.id === PAYER.accountId,
  );
  if (!control) {
    throw new Error(
      `seed: no organization managed by ${PAYER.accountId} (${PAYER.name})`,
    );
  }
  control.accountQuota = Math.max(control.accountQuota, 100);
  return seed;
}

interface Outcome {
  wallMs: number;
  calls: CallRecord[];
  runs: BenchRun[];
}

/** The 15 mint runs started at once, the POSTs dealt to the backends in turn, until the last finishes. */
async function mintEstate(
  backends: BenchBackend[],
  sandboxCalls: { list(): CallRecord[]; clear(): void },
): Promise<Outcome> {
  // What the backends did while starting is not the workload's.
  sandboxCalls.clear();
  const started = Date.now();
  const answers = await Promise.all(
    DECLARED.map(({ environment, region }, i) =>
      backends[i % backends.length]
        .api('post', '/runs')
        .send({ pipeline: 'mint', region: `${environment}-${region}` }),
    ),
  );
  const refusedPost = answers.find(a => a.status !== 202);
  if (refusedPost) {
    throw new Error(
      `POST /runs answered ${refusedPost.status}: ${JSON.stringify(
        refusedPost.body,
      )}`,
    );
  }
  const runs = await runsFinished(
    backends[0],
    answers.map(a => a.body.id),
    RUNS_TIMEOUT_MS,
  );
  const calls = [...sandboxCalls.list()];
  const lastFinished = Math.max(
    ...runs.map(r => new Date(r.finishedAt!).getTime()),
  );
  return { wallMs: lastFinished - started, calls, runs };
}

/** Starts a sandbox and `replicas` backends on databases `connect` opens, mints the estate, stops them. */
async function phase(replicas: number, connect: () => Knex): Promise<Outcome> {
  const sandbox = await startSandbox({
    port: 0,
    seed: benchSeed(),
    profile: {
      ...PROFILES.instant,
      accountCreationMs: CREATION_MS,
      accountReadinessMs: 0,
    },
  });
  const knexes: Knex[] = [];
  const backends: BenchBackend[] = [];
  try {
    // One after the other: two backends starting at once on an empty database race on its migrations.
    for (let i = 0; i < replicas; i++) {
      const knex = connect();
      knexes.push(knex);
      backends.push(
        await startBenchBackend({
          knex,
          sandbox,
          accountMinting: ACCOUNT_MINTING,
        }),
      );
    }
    return await mintEstate(backends, sandbox.sandbox.calls);
  } finally {
    for (const backend of backends) await backend.stop();
    for (const knex of knexes) await knex.destroy();
    await sandbox.close();
  }
}

function printOutcome(title: string, { wallMs, calls, runs }: Outcome) {
  const refused = calls.filter(c => c.operation === 'CreateAccount' && c.error);
  const failed = runs.filter(r => r.status !== 'succeeded');
  console.log(`\n== ${title}`);
  console.log(
    `wall time, first POST to last run finished: ${(wallMs / 1000).toFixed(
      1,
    )} s against the bound ceil(${ACCOUNTS} / ${SANDBOX_CREATIONS_IN_FLIGHT}) x ${
      CREATION_MS / 1000
    } s = ${BOUND_MS / 1000} s: ratio ${(wallMs / BOUND_MS).toFixed(2)}, ${(
      (wallMs / BOUND_MS - 1) *
      100
    ).toFixed(1)}% over`,
  );
  console.log(`AWS calls: ${calls.length}`);
  printCallsByOperation(calls);
  console.log(
    `refused CreateAccount calls: ${refused.length}${errorsOf(refused)}`,
  );
  console.log(`failed runs: ${failed.length} of ${runs.length}`);
  failed.forEach(r => console.log(`  ${r.region}: ${r.status} ${r.error}`));
}

async function main() {
  console.log(
    `${DECLARED.length} declared regions of payer ${
      PAYER.name
    } (${ENVIRONMENTS.join(', ')} x ${
      REGIONS.length
    } regions), ${ACCOUNTS} accounts; creation ${
      CREATION_MS / 1000
    } s, everything else instant, ${SANDBOX_CREATIONS_IN_FLIGHT} creations in flight per organization`,
  );
  const database = await freshPostgresDatabase('estate45');
  const postgres = 'absent' in database ? undefined : database;
  try {
    if (!values['replicas-only']) {
      // On PostgreSQL when it answers, as the replicas are: the two halves differ in replicas only.
      const connect =
        postgres?.connect ??
        (() =>
          knexFactory({
            client: 'better-sqlite3',
            connection: ':memory:',
            useNullAsDefault: true,
          }));
      printOutcome(
        `one backend (${postgres ? 'PostgreSQL' : 'SQLite in memory'})`,
        await phase(1, connect),
      );
    }
    if (values['single-only']) return;
    if (!postgres) {
      console.log(
        `\n== two replicas: skipped, PostgreSQL is absent (${
          (database as { absent: string }).absent
        })`,
      );
      return;
    }
    // A database of their own: the one backend's runs and regions would be theirs otherwise.
    const shared = await freshPostgresDatabase('estate45_replicas');
    if ('absent' in shared) throw new Error(shared.absent);
    try {
      printOutcome(
        'two replicas on one PostgreSQL database',
        await phase(2, shared.connect),
      );
    } finally {
      await shared.drop();
    }
  } finally {
    await postgres?.drop();
  }
}

main().then(
  () => process.exit(0),
  error => {
    console.error(error);
    process.exit(1);
  },
);
