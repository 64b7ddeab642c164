import {
  FINISHED_RUN_STATUSES,
  isOneOf,
} from '@regional-minting/plugin-account-minting-common';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { JsonObject } from '@backstage/types';
import {
  defaultSeed,
  RunningSandbox,
  Seed,
  startSandbox,
} from '@regional-minting/aws-sandbox';
import { Knex } from 'knex';
import { Server } from 'node:http';
import request from 'supertest';
import { accountMintingPlugin } from '../plugin';
import { waitFor } from './waitFor';

/** The configuration of the tests: the sandbox's three payers, fast polling. */
export function mintingTestConfig(endpoint: string): JsonObject {
  const payer = (name: string, accountId: string) => ({
    name,
    accountId,
    mintRoleArn: `arn:aws:iam::${accountId}:role/AccountMinter`,
    bootstrapRoleArn: `arn:aws:iam::${accountId}:role/AccountBootstrap`,
  });
  return {
    aws: {
      mainAccount: {
        accessKeyId: 'AKIASANDBOXCENTRAL01',
        secretAccessKey: 'sandbox-central-account-secret-key',
      },
    },
    accountMinting: {
      aws: { endpoint, region: 'us-east-1' },
      accountEmail: 'aws+{account}@example.com',
      tags: { 'managed-by': 'account-minting', 'cost-center': 'platform' },
      payers: [
        payer('control', '200000000001'),
        payer('staging-1', '300000000001'),
        payer('staging-2', '400000000001'),
      ],
      environments: [
        { name: 'prod', payer: 'control', regions: ['us-east-1', 'eu-west-2'] },
        {
          name: 'stage',
          payer: 'staging-1',
          regions: ['us-east-1', 'eu-west-2'],
        },
        {
          name: 'dev',
          payer: 'staging-2',
          regionOu: '{environment}-{owner}-{region}',
          regions: ['us-east-2', 'eu-west-1'],
        },
      ],
      accountRoles: [
        { name: 'regional-cluster', suffix: 'rc', count: 1, maxCount: 1 },
        { name: 'management-cluster', suffix: 'mc', count: 2, maxCount: 10 },
      ],
      bootstrap: {
        provisioningRole: {
          trustedPrincipalArn:
            'arn:aws:iam::100000000001:user/account-minting-pipeline',
          permissionsBoundaryArn: 'arn:aws:iam::aws:policy/PowerUserAccess',
          managedPolicyArns: ['arn:aws:iam::aws:policy/ReadOnlyAccess'],
          inlinePolicies: {
            'terraform-state': {
              Version: '2012-10-17',
              Statement: [
                {
                  Effect: 'Allow',
                  Action: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'],
                  Resource: 'arn:aws:s3:::regional-account-minting-tfstate/*',
                },
              ],
            },
          },
        },
      },
      engine: {
        // The sandbox's instant profile does not throttle: no pacing needed.
        callsPerSecond: 1000,
        pollIntervalMs: 20,
        leaseSeconds: 5,
        creationPollMs: { min: 10, max: 200 },
        retries: { attempts: 8, baseDelayMs: 5, maxDelayMs: 100 },
      },
    },
  };
}

/** A backend with the plugin on a database, against a sandbox of its own. */
export async function startMintingBackend(options: {
  knex: Knex;
  seed?: Seed;
  sandbox?: RunningSandbox;
  features?: Parameters<typeof startTestBackend>[0]['features'];
  /** Changes the test configuration's accountMinting section before the backend starts. */
  configure?: (accountMinting: JsonObject) => void;
}) {
  const sandbox =
    options.sandbox ??
    (await startSandbox({ port: 0, seed: options.seed ?? defaultSeed() }));
  const data = mintingTestConfig(sandbox.endpoint);
  options.configure?.(data.accountMinting as JsonObject);
  const backend = await startTestBackend({
    features: [
      accountMintingPlugin,
      mockServices.database.factory({ knex: options.knex }),
      mockServices.rootConfig.factory({ data }),
      ...(options.features ?? []),
    ],
  });
  const server: Server = backend.server;
  const api = (method: 'get' | 'post' | 'patch', path: string) =>
    request(server)[method](`/api/account-minting${path}`);
  return {
    sandbox,
    backend,
    api,
    /**
     * Waits until a run is finished, its last step included, and returns it with its steps.
     * @throws Error naming the run, its status and its steps' statuses when it is not
     *   finished within `timeoutMs` (WAIT_TIMEOUT_MS unless told), so that a stuck run
     *   fails its test with what it was doing rather than with Jest's timeout.
     */
    async finished(runId: string, wait: { timeoutMs?: number } = {}) {
      let last: request.Response | undefined;
      return waitFor(
        `run ${runId} to finish`,
        async () => {
          last = await api('get', `/runs/${runId}`);
          // No run to wait for: saying so now beats saying it in 90 seconds.
          if (last.status === 404) throw new Error(describeRun(runId, last));
          const { body } = last;
          return isOneOf(FINISHED_RUN_STATUSES, body.status) && body.finishedAt
            ? body
            : undefined;
        },
        {
          timeoutMs: wait.timeoutMs,
          describe: () => describeRun(runId, last),
        },
      );
    },
    /** Requests a region through the API and waits for its region run to finish. */
    async regionRun(body: object) {
      const created = await api('post', '/regions').send(body);
      if (created.status !== 202) {
        throw new Error(
          `POST /regions answered ${created.status}: ${JSON.stringify(
            created.body,
          )}`,
        );
      }
      return this.finished(created.body.run.id);
    },
    async stop() {
      await backend.stop();
      if (!options.sandbox) await sandbox.close();
    },
  };
}

/** A run as the API last answered it: its pipeline, region, status and each step's status. */
function describeRun(
  runId: string,
  response: request.Response | undefined,
): string {
  if (!response) return 'the API never answered';
  const run = response.body;
  if (response.status !== 200) {
    return `GET /runs/${runId} answered ${response.status}: ${JSON.stringify(
      run,
    )}`;
  }
  const steps = (run.steps ?? [])
    .map((s: { key: string; status: string }) => `${s.key} ${s.status}`)
    .join(', ');
  return `the ${run.pipeline} run of ${run.region}${
    run.account ? ` (${run.account})` : ''
  } is ${run.status}${run.finishedAt ? '' : ', not finished'}; its steps: ${
    steps || 'none'
  }`;
}
