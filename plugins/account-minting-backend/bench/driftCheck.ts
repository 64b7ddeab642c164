/* eslint-disable no-console */
// Benchmark (not a test): a full drift check (mint and bootstrap) of an estate of 3 payers and 1,000
// accounts that already is as desired, against the sandbox's realistic profile (Organizations throttled
// per organization), time-scaled. Prints the wall time, the read calls against the paging minimum that
// the estate's shape sets, the mutating calls and the throttled calls, and a verdict per aim.
//   yarn workspace @regional-minting/plugin-account-minting-backend bench:drift [--time-scale 1] [--give-up-after 2.5]
// Time scale 1 by default, as AWS is. A check still running at --give-up-after times the floor that the
// throttling sets (and 30 s more, scaled) has broken down: the bench cancels it and reports.
//
// The estate is not minted: the sandbox starts from a seed made, with the engine's own functions, from
// the regions the configuration declares (names, emails, managed tags, OU placement, the provisioning
// role with its trust policy, boundary, session length and policies). The provision pipeline's check is
// not run: the bench configures no provisioning steps, so it would have nothing to plan.
import { JsonObject } from '@backstage/types';
import { ConfigReader } from '@backstage/config';
import {
  CallRecord,
  defaultSeed,
  parseSeed,
  PROFILES,
  Seed,
} from '@regional-minting/aws-sandbox';
import { parseRegionRequest } from '@regional-minting/plugin-account-minting-common';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import {
  configView,
  MintingConfig,
  readMintingConfig,
} from '../src/config/mintingConfig';
import { DesiredRegion, desiredRegion } from '../src/estate/desired';
import {
  DesiredRole,
  desiredProvisioningRole,
} from '../src/pipelines/bootstrap/provisioningRole';
import { benchCallsPerSecond, startBenchEngine } from './benchEngine';
import { LogStore } from '../src/runs/LogStore';

const { values } = parseArgs({
  options: {
    'time-scale': { type: 'string', default: '1' },
    'give-up-after': { type: 'string', default: '2.5' },
  },
});
const timeScale = Number(values['time-scale']);
const giveUpFactor = Number(values['give-up-after']);

const ACCOUNTS = 1000;
// The sandbox's page sizes: Organizations lists by 20, IAM by 100 (MaxItems' default).
const ORGANIZATIONS_PAGE = 20;
const IAM_PAGE = 100;
// The commercial AWS regions: every one is a region of prod, stage and int, so that their environment
// OUs hold more region OUs than one page.
const REGION_CODES = [
  'us-east-1',
  'us-east-2',
  'us-west-1',
  'us-west-2',
  'af-south-1',
  'ap-east-1',
  'ap-east-2',
  'ap-south-1',
  'ap-south-2',
  'ap-southeast-1',
  'ap-southeast-2',
  'ap-southeast-3',
  'ap-southeast-4',
  'ap-southeast-5',
  'ap-southeast-6',
  'ap-southeast-7',
  'ap-northeast-1',
  'ap-northeast-2',
  'ap-northeast-3',
  'ca-central-1',
  'ca-west-1',
  'eu-central-1',
  'eu-central-2',
  'eu-west-1',
  'eu-west-2',
  'eu-west-3',
  'eu-south-1',
  'eu-south-2',
  'eu-north-1',
  'il-central-1',
  'me-south-1',
  'me-central-1',
  'mx-central-1',
  'sa-east-1',
];
const FIXED_ENVIRONMENTS = ['prod', 'stage', 'int'];
const OWNERS = [
  'ada',
  'grace',
  'linus',
  'barbara',
  'ken',
  'margaret',
  'dennis',
];
const ACCOUNTS_PER_REGION = 3;
const BOOTSTRAP_ACCOUNT = '100000000001';

/**
 * The regions the configuration declares, 1,000 accounts in all: every region code in prod
 * (control), stage and int (staging-1), and the rest in dev (staging-2) with owners; the
 * remainder of 1,000 by 3 goes to dev regions with one management cluster more.
 */
function declaredRegions(): JsonObject[] {
  const fixed = FIXED_ENVIRONMENTS.flatMap(environment =>
    REGION_CODES.map(region => ({ environment, region })),
  );
  const devAccounts = ACCOUNTS - fixed.length * ACCOUNTS_PER_REGION;
  const devRegions = Math.floor(devAccounts / ACCOUNTS_PER_REGION);
  const larger = devAccounts % ACCOUNTS_PER_REGION;
  if (devRegions > OWNERS.length * REGION_CODES.length) {
    throw new Error(`not enough owners for ${devRegions} dev regions`);
  }
  const dev = Array.from({ length: devRegions }, (_, i) => ({
    environment: 'dev',
    region: REGION_CODES[i % REGION_CODES.length],
    owner: OWNERS[Math.floor(i / REGION_CODES.length)],
    ...(i < larger
      ? { accountRoles: { 'management-cluster': ACCOUNTS_PER_REGION } }
      : {}),
  }));
  return [...fixed, ...dev];
}

function accountMinting(endpoint: string): JsonObject {
  const payer = (name: string, accountId: string) => ({
    name,
    accountId,
    mintRoleArn: `arn:aws:iam::${accountId}:role/AccountMinter`,
    bootstrapRoleArn: `arn:aws:iam::${accountId}:role/AccountBootstrap`,
  });
  // Reports only: should the estate not be as desired, the check must not set about repairing it.
  const environment = (name: string, payerName: string) => ({
    name,
    payer: payerName,
    regions: REGION_CODES,
    drift: 'report',
  });
  return {
    aws: { endpoint },
    accountEmail: 'aws+{account}@example.com',
    tags: { 'cost-center': 'platform' },
    payers: [
      payer('control', '200000000001'),
      payer('staging-1', '300000000001'),
      payer('staging-2', '400000000001'),
    ],
    environments: [
      environment('prod', 'control'),
      environment('stage', 'staging-1'),
      environment('int', 'staging-1'),
      {
        ...environment('dev', 'staging-2'),
        regionOu: '{environment}-{owner}-{region}',
      },
    ],
    accountRoles: [
      { name: 'regional-cluster', suffix: 'rc', count: 1, maxCount: 1 },
      { name: 'management-cluster', suffix: 'mc', count: 2, maxCount: 10 },
    ],
    bootstrap: {
      provisioningRole: {
        trustedPrincipalArn: `arn:aws:iam::${BOOTSTRAP_ACCOUNT}:user/account-minting-pipeline`,
        externalId: 'regional-account-minting',
        permissionsBoundaryArn: 'arn:aws:iam::aws:policy/PowerUserAccess',
        managedPolicyArns: [
          'arn:aws:iam::aws:policy/ReadOnlyAccess',
          'arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess',
        ],
        inlinePolicies: {
          'terraform-state': {
            Version: '2012-10-17',
            Statement: [
              {
                Effect: 'Allow',
                Action: ['s3:GetObject', 's3:PutObject'],
                Resource: 'arn:aws:s3:::regional-account-minting-tfstate/*',
              },
            ],
          },
          'stay-in-organization': {
            Version: '2012-10-17',
            Statement: [
              {
                Effect: 'Deny',
                Action: 'organizations:LeaveOrganization',
                Resource: '*',
              },
            ],
          },
        },
        maxSessionDuration: 7200,
      },
    },
    regions: declaredRegions(),
    engine: {
      callsPerSecond: benchCallsPerSecond(timeScale),
      pollIntervalMs: 20,
      // The engine's backoff, scaled as the sandbox's throttling is.
      retries: {
        baseDelayMs: Math.max(1, 200 * timeScale),
        maxDelayMs: Math.max(1, 20_000 * timeScale),
      },
    },
  };
}

/** The desired regions and provisioning role, as the engine works them out from the configuration. */
function desiredEstate(config: MintingConfig) {
  const view = configView(config);
  return {
    regions: config.regions.map(r =>
      desiredRegion(config, parseRegionRequest(r, view)),
    ),
    role: desiredProvisioningRole(config.bootstrap!),
  };
}

/**
 * The design document's estate with every desired region in place: its OUs, its accounts with
 * their managed tags, each with its provisioning role as configured. The seed has no permissions
 * boundaries; setBoundaries adds them once the sandbox runs.
 */
function estateSeed(
  config: MintingConfig,
  regions: DesiredRegion[],
  role: DesiredRole,
): Seed {
  const base = defaultSeed();
  return parseSeed(
    {
      ...base,
      organizations: base.organizations.map(organization => {
        const payer = config.payers.find(
          p => p.accountId === organization.managementAccount.id,
        );
        const own = regions.filter(r => r.payer === payer?.name);
        const accounts = own.flatMap(region =>
          region.accounts.map(account => ({
            name: account.name,
            email: account.email,
            ou: region.ouPath.join('/'),
            tags: account.tags,
            roles: [
              {
                name: role.name,
                path: role.path,
                trustPolicy: role.trustPolicy,
                maxSessionDuration: role.maxSessionDuration,
                inlinePolicies: role.inlinePolicies,
                attachedPolicyArns: role.managedPolicyArns,
              },
            ],
          })),
        );
        return {
          ...organization,
          accountQuota: Math.max(
            organization.accountQuota,
            accounts.length + organization.accounts.length + 1,
          ),
          organizationalUnits: [
            ...organization.organizationalUnits,
            ...own.map(r => r.ouPath.join('/')),
          ],
          accounts: [...organization.accounts, ...accounts],
        };
      }),
    },
    'drift bench estate',
  );
}

type RunningBench = Awaited<ReturnType<typeof startBenchEngine>>;

function setBoundaries(bench: RunningBench, role: DesiredRole): number {
  let set = 0;
  for (const account of bench.sandbox.sandbox.state.accounts.values()) {
    const record = account.roles[role.name];
    if (record) {
      record.permissionsBoundaryArn = role.permissionsBoundaryArn;
      set++;
    }
  }
  return set;
}

const pages = (items: number, size: number) =>
  Math.max(1, Math.ceil(items / size));

interface PayerShape {
  payer: string;
  accounts: number;
  /** Organizations calls one walk of the platform OU tree takes, by operation, without the tags. */
  walk: Record<string, number>;
}

/** What each payer's organization holds below the platform OU, as the sandbox has it. */
function estateShape(bench: RunningBench, config: MintingConfig): PayerShape[] {
  const { state } = bench.sandbox.sandbox;
  const ous = (parentId: string) =>
    state.childIds(parentId).filter(id => state.containers.has(id));
  const accounts = (parentId: string) =>
    state.childIds(parentId).filter(id => state.accounts.has(id));
  return config.payers.map(payer => {
    const organization = [...state.organizations.values()].find(
      o => o.managementAccountId === payer.accountId,
    )!;
    const walk: Record<string, number> = {
      ListRoots: 1,
      ListOrganizationalUnitsForParent: 0,
      ListAccountsForParent: 0,
    };
    let accountCount = 0;
    const listOus = (parentId: string) => {
      walk.ListOrganizationalUnitsForParent += pages(
        ous(parentId).length,
        ORGANIZATIONS_PAGE,
      );
      return ous(parentId);
    };
    const platform = listOus(organization.rootId).find(
      id => state.containers.get(id)!.name === config.platformOu,
    );
    for (const environment of platform ? listOus(platform) : []) {
      for (const region of listOus(environment)) {
        const inRegion = accounts(region).length;
        walk.ListAccountsForParent += pages(inRegion, ORGANIZATIONS_PAGE);
        accountCount += inRegion;
      }
    }
    return { payer: payer.name, accounts: accountCount, walk };
  });
}

/** The fewest calls a full check can make: each check's walk, a tag read per account, the role's reads. */
function pagingMinimum(shapes: PayerShape[], role: DesiredRole) {
  const organizations: Record<string, number> = {};
  const add = (operation: string, n: number) =>
    (organizations[operation] = (organizations[operation] ?? 0) + n);
  for (const shape of shapes) {
    // The mint check's walk, with tags, and the bootstrap check's, without.
    for (const [operation, n] of Object.entries(shape.walk))
      add(operation, 2 * n);
    add('ListTagsForResource', shape.accounts);
  }
  const accounts = shapes.reduce((n, s) => n + s.accounts, 0);
  const inline = Object.keys(role.inlinePolicies).length;
  const iam: Record<string, number> = {
    GetRole: accounts,
    ListAttachedRolePolicies:
      accounts * pages(role.managedPolicyArns.length, IAM_PAGE),
    ListRolePolicies: accounts * pages(inline, IAM_PAGE),
    GetRolePolicy: accounts * inline,
  };
  return { organizations, iam };
}

const countBy = (calls: CallRecord[]) =>
  calls.reduce<Record<string, number>>((counts, c) => {
    counts[c.operation] = (counts[c.operation] ?? 0) + 1;
    return counts;
  }, {});
const sum = (counts: Record<string, number>) =>
  Object.values(counts).reduce((a, b) => a + b, 0);
const ms = (from?: string, to?: string) =>
  from && to ? `${Date.parse(to) - Date.parse(from)} ms` : '-';
const THROTTLED = 'TooManyRequestsException';

/** Every log line of a run, page after page. */
async function everyLogLine(logs: LogStore, runId: string) {
  const lines = [];
  let afterId: number | undefined;
  for (;;) {
    const page = await logs.getLogs(runId, { afterId });
    lines.push(...page.items);
    if (!page.nextCursor) return lines;
    afterId = Number(page.nextCursor);
  }
}

async function main() {
  // The desired estate does not depend on the endpoint: work it out before the sandbox starts.
  const planned = readMintingConfig(
    new ConfigReader({ accountMinting: accountMinting('http://127.0.0.1:1') }),
  );
  const { regions, role } = desiredEstate(planned);
  const seed = estateSeed(planned, regions, role);

  const built = performance.now();
  const bench = await startBenchEngine(timeScale, accountMinting, { seed });
  const boundaries = setBoundaries(bench, role);
  const shapes = estateShape(bench, planned);
  const buildMs = performance.now() - built;

  const profile = PROFILES.realistic;
  const ratePerSecond = profile.organizationRequestsPerSecond / timeScale;
  console.log(
    `estate: ${shapes.reduce((n, s) => n + s.accounts, 0)} accounts in ${
      regions.length
    } regions (${shapes
      .map(s => `${s.payer} ${s.accounts}`)
      .join(
        ', ',
      )}), ${boundaries} provisioning roles; started in ${buildMs.toFixed(
      0,
    )} ms`,
  );
  console.log(
    `sandbox: realistic profile at time scale ${timeScale}: ${
      profile.apiCallMs * timeScale
    } ms a call, Organizations ${ratePerSecond} requests/s (bursts of ${
      profile.organizationBurst
    }) per organization`,
  );

  // The floor that throttling sets: the payer with the most Organizations calls, at the refill rate after its burst.
  const floorMs = Math.max(
    ...shapes.map(s => {
      const orgCalls = 2 * sum(s.walk) + s.accounts;
      return (
        (Math.max(0, orgCalls - profile.organizationBurst) / ratePerSecond) *
        1000
      );
    }),
  );
  // A check that takes this much longer than the floor has broken down: stop waiting and say so.
  const giveUpMs = giveUpFactor * floorMs + 30_000 * timeScale;

  const { sandbox } = bench.sandbox;
  sandbox.calls.clear();
  const started = performance.now();
  const runs = [
    await bench.engine.drift.startCheck('mint', 'user:default/bench'),
    await bench.engine.drift.startCheck('bootstrap', 'user:default/bench'),
  ];
  let gaveUp = false;
  for (;;) {
    const current = await Promise.all(
      runs.map(r => bench.engine.runs.getRun(r.id)),
    );
    if (current.every(r => r.finishedAt)) break;
    if (performance.now() - started > giveUpMs) {
      gaveUp = true;
      break;
    }
    await sleep(10);
  }
  const wallMs = performance.now() - started;
  const calls = [...sandbox.calls.list()];
  if (gaveUp) {
    for (const run of runs) {
      await bench.engine.runs.cancelRun(run.id).catch(() => {});
    }
    await bench.engine.executor.stop({ abandon: true });
  }
  const finished = await Promise.all(
    runs.map(r => bench.engine.runs.getRun(r.id)),
  );
  const steps = (
    await Promise.all(runs.map(r => bench.engine.runs.getSteps(r.id)))
  ).flat();
  const findings = await bench.engine.findings.list({}, 100_000);
  const logs = (
    await Promise.all(runs.map(r => everyLogLine(bench.engine.logs, r.id)))
  ).flat();
  // The engine's own retries of throttled calls, which it logs; the SDK's retries are not logged.
  const engineRetries = logs.filter(line =>
    line.message.startsWith(`${THROTTLED}: retry`),
  ).length;
  // Attempts of check steps that failed and were run again from the start, and why.
  const failedAttempts = logs.filter(line =>
    /^attempt \d+ failed: /.test(line.message),
  );

  const minimum = pagingMinimum(shapes, role);
  const assumeRole = calls.filter(c => c.operation === 'AssumeRole');
  const reads = calls.filter(
    c => !c.mutating && c.service !== 'sts' && c.operation !== 'AssumeRole',
  );
  const mutating = calls.filter(
    c => c.mutating && c.operation !== 'AssumeRole',
  );
  const throttled = calls.filter(c => c.error === THROTTLED);
  const otherErrors = calls.filter(c => c.error && c.error !== THROTTLED);
  const answered = reads.filter(c => !c.error);
  const minimumReads = sum(minimum.organizations) + sum(minimum.iam);
  const ratio = reads.length / minimumReads;
  const answeredRatio = answered.length / minimumReads;

  console.log('');
  if (gaveUp) {
    console.log(
      `GAVE UP after ${(giveUpMs / 1000).toFixed(
        0,
      )} s (${giveUpFactor} times the throttling floor and 30 s scaled): the unfinished runs were cancelled; the figures are those until then`,
    );
  }
  console.log(
    `wall time: ${wallMs.toFixed(0)} ms (about ${(
      wallMs /
      timeScale /
      1000
    ).toFixed(
      0,
    )} s unscaled); the throttling floor of the busiest payer: ${floorMs.toFixed(
      0,
    )} ms`,
  );
  for (const run of finished) {
    console.log(
      `  ${run.pipeline} check: ${run.status} in ${ms(
        run.startedAt,
        run.finishedAt,
      )}${run.error ? `: ${run.error}` : ''}`,
    );
    for (const step of steps.filter(s => s.runId === run.id)) {
      console.log(
        `    ${step.title}: ${step.status} in ${ms(
          step.startedAt,
          step.finishedAt,
        )}, ${step.attempts} attempt(s) ${JSON.stringify(step.outputs ?? {})}${
          step.error ? ` error: ${step.error}` : ''
        }`,
      );
    }
  }

  console.log('');
  console.log(
    `read calls: ${reads.length} (${answered.length} answered, ${
      reads.length - answered.length
    } refused) against a paging minimum of ${minimumReads}: ${ratio.toFixed(
      3,
    )} (answered ones: ${answeredRatio.toFixed(3)})`,
  );
  const byService = (service: string, min: Record<string, number>) => {
    const made = countBy(reads.filter(c => c.service === service));
    const refused = countBy(
      reads.filter(c => c.service === service && c.error),
    );
    for (const operation of new Set([
      ...Object.keys(min),
      ...Object.keys(made),
    ])) {
      console.log(
        `  ${service} ${operation}: ${made[operation] ?? 0} (${
          refused[operation] ?? 0
        } refused), minimum ${min[operation] ?? 0}`,
      );
    }
  };
  byService('organizations', minimum.organizations);
  byService('iam', minimum.iam);
  const sessions = countBy(
    assumeRole.map(c => ({
      ...c,
      operation: c.principal?.includes(':user/')
        ? 'as the central account'
        : 'chained through a payer role',
    })),
  );
  console.log(
    `AssumeRole (session setup, not counted as reads; the sandbox logs it as mutating): ${
      assumeRole.length
    } (${Object.entries(sessions)
      .map(([k, v]) => `${v} ${k}`)
      .join(', ')})`,
  );
  console.log(
    `mutating calls: ${mutating.length}${
      mutating.length ? ` ${JSON.stringify(countBy(mutating))}` : ''
    }`,
  );
  console.log(
    `throttled calls: ${throttled.length} ${JSON.stringify(
      countBy(throttled),
    )}; other errors: ${otherErrors.length}${
      otherErrors.length
        ? ` ${JSON.stringify(
            countBy(
              otherErrors.map(c => ({
                ...c,
                operation: `${c.operation} ${c.error}`,
              })),
            ),
          )}`
        : ''
    }`,
  );
  console.log(
    `  retried by the engine's backoff: ${engineRetries} (Organizations clients make one attempt: the engine retries every throttled call)`,
  );
  const throttling = (message?: string) =>
    /throttl|TooManyRequests|rate exceeded/i.test(message ?? '');
  const failedSteps = steps.filter(s => s.status === 'failed');
  const failedForThrottling = failedSteps.filter(s => throttling(s.error));
  const unfinished = steps.filter(
    s => s.status !== 'failed' && s.status !== 'succeeded',
  );
  const attemptsFailedForThrottling = failedAttempts.filter(line =>
    throttling(line.message),
  );
  console.log(
    `check steps: ${steps.length}, failed: ${failedSteps.length} (${failedForThrottling.length} for throttling), unfinished: ${unfinished.length}; attempts that failed and started over: ${failedAttempts.length} (${attemptsFailedForThrottling.length} for throttling)`,
  );
  console.log(`findings recorded: ${findings.length}`);

  console.log('');
  // Until the checks finish, only a miss is known.
  const verdict = (ok: boolean, aim: string, detail: string) => {
    let outcome = ok ? 'MET   ' : 'MISSED';
    if (ok && gaveUp) outcome = 'N/A   ';
    console.log(`${outcome} ${aim}: ${detail}${ok && gaveUp ? ' so far' : ''}`);
  };
  verdict(
    mutating.length === 0,
    'zero mutating calls',
    `${mutating.length} mutating calls`,
  );
  verdict(
    ratio <= 1.2,
    'read calls within 20% of the paging minimum',
    `${reads.length} / ${minimumReads} = ${ratio.toFixed(3)}`,
  );
  console.log(
    `${
      failedForThrottling.length === 0 &&
      attemptsFailedForThrottling.length === 0 &&
      !gaveUp &&
      finished.every(r => r.status === 'succeeded')
        ? 'MET   '
        : 'MISSED'
    } no check fails because of throttling: ${
      gaveUp ? 'gave up waiting; ' : ''
    }${failedForThrottling.length} steps and ${
      attemptsFailedForThrottling.length
    } step attempts failed for throttling, runs ${finished
      .map(r => `${r.pipeline} ${r.status}`)
      .join(', ')}; ${throttled.length} calls throttled`,
  );
  verdict(
    findings.length === 0,
    'nothing to find',
    `${findings.length} findings`,
  );
  await bench.close();
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
