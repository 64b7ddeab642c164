/* eslint-disable no-console */
// Benchmark of the sandbox through the real SDK (not a test: it prints figures, asserts nothing).
//   yarn workspace @regional-minting/aws-sandbox bench [--accounts 10000] [--concurrency 50] [--seconds 5]
import {
  CreateAccountCommand,
  DescribeAccountCommand,
  OrganizationsClient,
  paginateListAccounts,
} from '@aws-sdk/client-organizations';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { Agent } from 'node:http';
import { parseArgs } from 'node:util';
import { parseSeed } from '../src/seed/loadSeed';
import { startSandbox } from '../src/server';

const { values } = parseArgs({
  options: {
    accounts: { type: 'string', default: '10000' },
    concurrency: { type: 'string', default: '50' },
    seconds: { type: 'string', default: '5' },
  },
});
const accounts = Number(values.accounts);
const concurrency = Number(values.concurrency);
const seconds = Number(values.seconds);

const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MiB`;

async function main() {
  // The payer calls with static keys here, so the benchmark times calls, not sessions.
  const seed = parseSeed({
    organizations: [
      {
        name: 'bench',
        accountQuota: accounts + 1,
        managementAccount: {
          id: '200000000001',
          name: 'bench',
          email: 'bench@example.com',
          users: [
            {
              name: 'bench',
              accessKeyId: 'AKIABENCHMARK0000001',
              secretAccessKey: 'benchmark-secret-key',
            },
          ],
        },
      },
    ],
  });
  const running = await startSandbox({ port: 0, seed });
  const orgs = new OrganizationsClient({
    endpoint: running.endpoint,
    region: 'us-east-1',
    credentials: {
      accessKeyId: 'AKIABENCHMARK0000001',
      secretAccessKey: 'benchmark-secret-key',
    },
    requestHandler: new NodeHttpHandler({
      httpAgent: new Agent({ keepAlive: true, maxSockets: concurrency }),
    }),
  });

  let started = performance.now();
  const ids: string[] = [];
  for (let i = 0; i < accounts; i += concurrency) {
    const batch = Array.from(
      { length: Math.min(concurrency, accounts - i) },
      (_, j) =>
        orgs.send(
          new CreateAccountCommand({
            AccountName: `bench-${i + j}`,
            Email: `bench-${i + j}@example.com`,
          }),
        ),
    );
    for (const r of await Promise.all(batch))
      ids.push(r.CreateAccountStatus!.AccountId!);
  }
  console.log(
    `created ${accounts} accounts through CreateAccount in ${(
      (performance.now() - started) /
      1000
    ).toFixed(1)} s`,
  );

  let calls = 0;
  const deadline = performance.now() + seconds * 1000;
  started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async (_, worker) => {
      for (let i = worker; performance.now() < deadline; i += concurrency) {
        await orgs.send(
          new DescribeAccountCommand({ AccountId: ids[i % ids.length] }),
        );
        calls += 1;
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  console.log(
    `DescribeAccount at ${concurrency} concurrent requests: ${calls} calls in ${elapsed.toFixed(
      1,
    )} s = ${(calls / elapsed).toFixed(0)} calls/s`,
  );

  started = performance.now();
  let pages = 0;
  let listed = 0;
  for await (const page of paginateListAccounts({ client: orgs }, {})) {
    pages += 1;
    listed += page.Accounts!.length;
  }
  console.log(
    `full ListAccounts of ${listed} accounts: ${pages} pages in ${(
      (performance.now() - started) /
      1000
    ).toFixed(2)} s`,
  );
  const memory = process.memoryUsage();
  console.log(
    `memory with ${listed} accounts (sandbox and client in one process): rss ${mib(
      memory.rss,
    )}, heap used ${mib(memory.heapUsed)}`,
  );
  await running.close();
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
