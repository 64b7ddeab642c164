import { testDatabases } from '../testUtils/databases';
import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { JsonObject } from '@backstage/types';
import { parseRegionRequest } from '@regional-minting/plugin-account-minting-common';
import {
  defaultSeed,
  PROFILES,
  RunningSandbox,
  startSandbox,
} from '@regional-minting/aws-sandbox';
import { ProvisionerRegistry } from '@regional-minting/plugin-account-minting-node';
import { Knex } from 'knex';
import { holdCalls } from '../testUtils/holdCalls';
import { mintingTestConfig } from '../testUtils/mintingBackend';
import { waitFor } from '../testUtils/waitFor';
import { configView, readMintingConfig } from '../config/mintingConfig';
import { applyDatabaseMigrations } from '../database/migrations';
import { createMintingEngine } from '../createMintingEngine';

const databases = testDatabases();

/** One backend's engine on a shared database, against the sandbox. */
async function backendEngine(
  knex: Knex,
  sandbox: RunningSandbox,
  engine: JsonObject = {},
) {
  const data = mintingTestConfig(sandbox.endpoint);
  const minting = data.accountMinting as JsonObject;
  minting.engine = { ...(minting.engine as JsonObject), ...engine };
  const rootConfig = new ConfigReader(data);
  const config = readMintingConfig(rootConfig);
  const created = await createMintingEngine({
    config,
    rootConfig,
    knex,
    logger: mockServices.logger.mock(),
    provisioners: new ProvisionerRegistry(),
  });
  const request = (body: object) =>
    parseRegionRequest(body, configView(config));
  return { ...created, request };
}

jest.setTimeout(120_000);

/** Waits until a run has finished, and returns it. */
function finishedRun(
  engine: Awaited<ReturnType<typeof backendEngine>>,
  runId: string,
) {
  return waitFor(`run ${runId} to finish`, async () => {
    const current = await engine.runs.getRun(runId);
    return ['succeeded', 'failed'].includes(current.status)
      ? current
      : undefined;
  });
}

/** A sandbox whose account creations take a while, so that several are in progress at once. */
const slowCreationSandbox = () =>
  startSandbox({
    port: 0,
    seed: defaultSeed(),
    profile: { ...PROFILES.instant, accountCreationMs: 300 },
  });

/**
 * Requests a dev region on a backend that dies once every account's creation intent is
 * recorded, while its CreateAccount calls are held on their way to AWS, and lets a second
 * backend finish the run. The held calls land before the second backend takes over
 * (`land: 'before-takeover'`), or after the second backend sent its own calls.
 */
async function diesMidCreation(
  knex: Knex,
  sandbox: RunningSandbox,
  owner: string,
  land: 'before-takeover' | 'after-the-next-calls',
) {
  const calls = holdCalls(sandbox.sandbox, 'CreateAccount');
  const first = await backendEngine(knex, sandbox, { leaseSeconds: 1 });
  const second = await backendEngine(knex, sandbox, { leaseSeconds: 1 });

  first.executor.start();
  const { run } = await first.minting.requestRegion(
    first.request({ environment: 'dev', region: 'eu-west-1', owner }),
    `user:default/${owner}`,
  );
  await waitFor('3 creation intents and their calls on the way', async () => {
    const steps = await first.runs.getSteps(run.id);
    const intents = steps.filter(s => s.state && 'intentAt' in s.state);
    return intents.length === 3 && calls.waiting() === 3;
  });
  await first.executor.stop({ abandon: true });

  if (land === 'before-takeover') {
    calls.release();
    await waitFor(
      'the first calls to land',
      () => sandbox.sandbox.state.createAccountRequests.size === 3,
    );
  }
  second.executor.start();
  if (land === 'after-the-next-calls') {
    await waitFor('the second backend to send its own calls', () =>
      calls.waiting() === 6 ? true : undefined,
    );
    calls.release();
  }
  const finished = await finishedRun(second, run.id);
  await second.executor.stop();
  const steps = await second.runs.getSteps(run.id);
  const accounts = [...sandbox.sandbox.state.accounts.values()].filter(a =>
    a.name.startsWith(`dev-${owner}-eu-west-1`),
  );
  return { finished, steps, accounts };
}

describe.each(databases.eachSupportedId())('the engine on %s', id => {
  let sandbox: RunningSandbox;
  let knex: Knex;

  beforeEach(async () => {
    knex = await databases.init(id);
    await applyDatabaseMigrations(knex);
  });

  afterEach(() => sandbox?.close());

  it('starts one run when two backends get the same request at once', async () => {
    sandbox = await startSandbox({ port: 0, seed: defaultSeed() });
    const first = await backendEngine(knex, sandbox);
    const second = await backendEngine(knex, sandbox);
    const body = { environment: 'dev', region: 'us-east-2', owner: 'twice' };
    const [a, b] = await Promise.all([
      first.minting.requestRegion(first.request(body), 'user:default/a'),
      second.minting.requestRegion(second.request(body), 'user:default/b'),
    ]);
    expect(a.run.id).toBe(b.run.id);
    expect(
      (await first.runs.listRuns({ region: 'dev-twice-us-east-2' })).items,
    ).toHaveLength(1);
  });

  it('resumes a region whose backend died mid-creation, without creating any account twice', async () => {
    // The first backend dies while its calls are in the air, after recording its intents and
    // before learning the request ids; the calls land before the next backend looks for them.
    sandbox = await slowCreationSandbox();
    const { finished, steps, accounts } = await diesMidCreation(
      knex,
      sandbox,
      'pete',
      'before-takeover',
    );

    expect(finished.status).toBe('succeeded');
    const creations = sandbox.sandbox.calls
      .list()
      .filter(c => c.operation === 'CreateAccount');
    expect(creations).toHaveLength(3);
    expect(accounts).toHaveLength(3);
    expect(
      steps.filter(s => s.kind === 'mint-account').map(s => s.attempts),
    ).toEqual([2, 2, 2]);
  });

  it('adopts the account when a creation sent before a crash lands after the next one was sent', async () => {
    // The backend that takes over finds no trace of the first calls, still on their way, and
    // sends its own, which AWS fails with EMAIL_ALREADY_EXISTS once the first calls' accounts
    // exist. That means "look it up", not a failed run.
    sandbox = await slowCreationSandbox();
    const { finished, steps, accounts } = await diesMidCreation(
      knex,
      sandbox,
      'kim',
      'after-the-next-calls',
    );

    expect(finished.error).toBeUndefined();
    expect(finished.status).toBe('succeeded');
    expect(accounts.map(a => a.name).sort()).toEqual([
      'dev-kim-eu-west-1-mc0',
      'dev-kim-eu-west-1-mc1',
      'dev-kim-eu-west-1-rc',
    ]);
    const minted = steps.filter(s => s.kind === 'mint-account');
    expect(minted.map(s => s.outputs?.accountId).sort()).toEqual(
      accounts.map(a => a.id).sort(),
    );
  });

  it('shares the five creation slots of an organization between two replicas', async () => {
    sandbox = await slowCreationSandbox();
    const replicas = [
      await backendEngine(knex, sandbox),
      await backendEngine(knex, sandbox),
    ];
    replicas.forEach(r => r.executor.start());
    // Four regions of one payer, requested on both replicas: 12 creations in one organization.
    const runs = await Promise.all(
      ['a', 'b', 'c', 'd'].map(async (owner, i) => {
        const replica = replicas[i % 2];
        const { run } = await replica.minting.requestRegion(
          replica.request({
            environment: 'dev',
            region: 'us-east-2',
            owner: `shared-${owner}`,
          }),
          'user:default/sre',
        );
        return run;
      }),
    );
    const finished = await Promise.all(
      runs.map(run => finishedRun(replicas[0], run.id)),
    );
    await Promise.all(replicas.map(r => r.executor.stop()));

    expect(finished.map(r => r.status)).toEqual([
      'succeeded',
      'succeeded',
      'succeeded',
      'succeeded',
    ]);
    const calls = sandbox.sandbox.calls.list();
    // Each creation went through at once: neither replica asked AWS for a sixth one in flight.
    const steps = (
      await Promise.all(runs.map(run => replicas[0].runs.getSteps(run.id)))
    ).flat();
    expect(
      steps.filter(s => s.kind === 'mint-account').map(s => s.attempts),
    ).toEqual(Array(12).fill(1));
    expect(
      calls.filter(c => c.error === 'ConstraintViolationException'),
    ).toEqual([]);
    expect(
      calls.filter(c => c.operation === 'CreateAccount' && !c.error),
    ).toHaveLength(12);
  });

  it('mints every account through a storm of throttling, contention and the five-creation limit', async () => {
    sandbox = await startSandbox({
      port: 0,
      seed: defaultSeed(),
      // A slow organization: creations take a while and few calls a second get through.
      profile: {
        ...PROFILES.instant,
        accountCreationMs: 150,
        organizationRequestsPerSecond: 150,
        organizationBurst: 10,
      },
    });
    sandbox.sandbox.faults.add({
      operation: 'MoveAccount',
      count: 4,
      error: {
        code: 'ConcurrentModificationException',
        message: 'busy',
        statusCode: 400,
      },
    });
    sandbox.sandbox.faults.add({
      operation: 'CreateAccount',
      count: 3,
      error: {
        code: 'TooManyRequestsException',
        message: 'Rate exceeded',
        statusCode: 400,
      },
    });
    sandbox.sandbox.faults.add({
      operation: 'DescribeCreateAccountStatus',
      count: 5,
      error: {
        code: 'TooManyRequestsException',
        message: 'Rate exceeded',
        statusCode: 400,
      },
    });
    const engine = await backendEngine(knex, sandbox, {
      retries: { attempts: 12, baseDelayMs: 5, maxDelayMs: 50 },
    });
    engine.executor.start();
    const runs = await Promise.all(
      ['a', 'b', 'c', 'd'].map(
        async owner =>
          (
            await engine.minting.requestRegion(
              engine.request({
                environment: 'dev',
                region: 'us-east-2',
                owner: `team-${owner}`,
              }),
              'user:default/sre',
            )
          ).run,
      ),
    );
    const finished = await Promise.all(
      runs.map(run => finishedRun(engine, run.id)),
    );
    await engine.executor.stop();

    expect(finished.map(r => r.status)).toEqual([
      'succeeded',
      'succeeded',
      'succeeded',
      'succeeded',
    ]);
    const calls = sandbox.sandbox.calls.list();
    expect(
      calls.filter(c => c.error === 'TooManyRequestsException').length,
    ).toBeGreaterThanOrEqual(8);
    // The engine never asked for a sixth creation in flight: it waited for a slot instead.
    expect(
      calls.filter(c => c.error === 'ConstraintViolationException'),
    ).toEqual([]);
    const created = calls.filter(
      c => c.operation === 'CreateAccount' && !c.error,
    );
    expect(created).toHaveLength(12);
    const accounts = [...sandbox.sandbox.state.accounts.values()].filter(a =>
      a.name.startsWith('dev-team-'),
    );
    expect(accounts).toHaveLength(12);
  });
});
