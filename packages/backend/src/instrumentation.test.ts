import {
  startMintingBackend,
  testDatabases,
  waitFor,
} from '@regional-minting/plugin-account-minting-backend/testUtils';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { resolve } from 'node:path';

// A region run against a sandbox, then scrapes: generous, so that a loaded machine is slow, never failing.
jest.setTimeout(180_000);

const DASHBOARD = resolve(
  __dirname,
  '../../../examples/grafana/account-minting-dashboard.json',
);

/** A port free now on 127.0.0.1, for the exporter (which takes 0 for its default, 9464). */
async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await new Promise(done => server.once('listening', done));
  const { port } = server.address() as { port: number };
  await new Promise(done => server.close(done));
  return port;
}

/** The names of the samples of a Prometheus text exposition, such as `account_minting_runs_total`. */
function sampleNames(exposition: string): Set<string> {
  return new Set(
    exposition
      .split('\n')
      .filter(line => line && !line.startsWith('#'))
      .map(line => line.split(/[{ ]/)[0]),
  );
}

/** Every `account_minting_*` metric name the dashboard's panels query. */
function dashboardMetricNames(): string[] {
  const dashboard = JSON.parse(readFileSync(DASHBOARD, 'utf8'));
  const exprs: string[] = dashboard.panels.flatMap(
    (panel: { targets?: { expr: string }[] }) =>
      (panel.targets ?? []).map(target => target.expr),
  );
  return [
    ...new Set(
      exprs.flatMap(expr => expr.match(/\baccount_minting_\w+/g) ?? []),
    ),
  ];
}

describe('the instrumentation', () => {
  const databases = testDatabases();
  let port: number;
  let exposition: string;
  let sdk: { shutdown(): Promise<void> };

  beforeAll(async () => {
    port = await freePort();
    process.env.OTEL_EXPORTER_PROMETHEUS_PORT = String(port);
    process.env.OTEL_EXPORTER_PROMETHEUS_HOST = '127.0.0.1';
    // As `--require ./src/instrumentation.js` does: before the backend makes its meters.
    ({ sdk } = require('./instrumentation'));

    const minting = await startMintingBackend({
      knex: await databases.init('SQLITE_3'),
    });
    try {
      // One throttled call, which the engine retries: the throttles counter has a sample.
      minting.sandbox.sandbox.faults.add({
        operation: 'DescribeCreateAccountStatus',
        service: 'organizations',
        count: 1,
        error: {
          code: 'TooManyRequestsException',
          message: 'Rate exceeded',
          statusCode: 400,
        },
      });
      const run = await minting.regionRun({
        environment: 'dev',
        region: 'eu-west-1',
        owner: 'metrics',
      });
      if (run.status !== 'succeeded') {
        throw new Error(`the region run ${run.status}, not succeeded`);
      }
      exposition = await waitFor('the metrics on /metrics', async () => {
        // Refused until the exporter's server listens.
        const response = await fetch(`http://127.0.0.1:${port}/metrics`).catch(
          () => undefined,
        );
        const text = await response?.text();
        return response?.ok && text?.includes('account_minting_')
          ? text
          : undefined;
      });
    } finally {
      await minting.stop();
    }
  });

  // Shutting the SDK down stops the exporter's server.
  afterAll(() => sdk?.shutdown());

  it('serves the account-minting metrics of a region run in Prometheus format', () => {
    // Counters end in _total; a unit other than a count is in the UNIT line, not the name.
    expect(exposition).toMatch(
      /^account_minting_runs_total\{pipeline="region",mode="apply",outcome="succeeded"[^}]*\} 1$/m,
    );
    expect(exposition).toMatch(
      /^account_minting_steps_total\{kind="mint-account",outcome="succeeded"[^}]*\} 3$/m,
    );
    expect(exposition).toMatch(
      /^account_minting_region_time_to_region_count\{[^}]*\} 1$/m,
    );
    expect(exposition).toMatch(
      /^account_minting_aws_throttles_total\{service="organizations",operation="DescribeCreateAccountStatus"[^}]*\} 1$/m,
    );
    expect(exposition).toMatch(
      /^account_minting_aws_calls_total\{service="organizations",operation="CreateAccount",outcome="ok"[^}]*\} 3$/m,
    );
    expect(exposition).toMatch(
      /^account_minting_findings_open\{layer="tags"[^}]*\} 0$/m,
    );
    // The creations are over: the payer's slots are all free again.
    expect(exposition).toMatch(
      /^account_minting_creation_slots_in_use\{payer="staging-2"[^}]*\} 0$/m,
    );
  });

  it('has every metric the Grafana dashboard queries', () => {
    const queried = dashboardMetricNames();
    expect(queried).toEqual(
      expect.arrayContaining([
        'account_minting_region_time_to_region_bucket',
        'account_minting_runs_total',
        'account_minting_steps_total',
        'account_minting_aws_calls_total',
        'account_minting_aws_throttles_total',
        'account_minting_findings_open',
        'account_minting_creation_slots_in_use',
      ]),
    );
    const served = sampleNames(exposition);
    expect(queried.filter(name => !served.has(name))).toEqual([]);
  });
});
