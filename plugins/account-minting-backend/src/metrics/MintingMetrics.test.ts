import {
  DataPoint,
  Histogram,
  MeterProvider,
  MetricData,
  MetricReader,
} from '@opentelemetry/sdk-metrics';
import { RunRecord } from '@regional-minting/plugin-account-minting-common';
import { MintingMetrics } from './MintingMetrics';

/** A reader that exports nowhere: the test collects from it. */
class TestReader extends MetricReader {
  protected async onShutdown() {}
  protected async onForceFlush() {}
}

async function setup() {
  const reader = new TestReader();
  const provider = new MeterProvider({ readers: [reader] });
  const minting = new MintingMetrics(provider.getMeter('account-minting'));
  const collect = async () => {
    const { resourceMetrics, errors } = await reader.collect();
    expect(errors).toEqual([]);
    const byName = new Map<string, MetricData>();
    for (const scope of resourceMetrics.scopeMetrics) {
      for (const metric of scope.metrics) {
        byName.set(metric.descriptor.name, metric);
      }
    }
    return byName;
  };
  return { minting, collect, provider };
}

function points(metric: MetricData | undefined): DataPoint<unknown>[] {
  expect(metric).toBeDefined();
  return metric!.dataPoints as DataPoint<unknown>[];
}

const regionRun: RunRecord = {
  id: 'run-1',
  pipeline: 'region',
  mode: 'apply',
  region: 'dev-kirk-us-east-2',
  status: 'succeeded',
  requestedBy: 'user:default/kirk',
  createdAt: '2026-01-01T10:00:00.000Z',
  startedAt: '2026-01-01T10:05:00.000Z',
  finishedAt: '2026-01-01T10:45:00.000Z',
};

describe('MintingMetrics', () => {
  it('counts and times a finished region run, with the time to region', async () => {
    const { minting, collect } = await setup();
    minting.runFinished(regionRun);

    const metrics = await collect();
    const attributes = {
      pipeline: 'region',
      mode: 'apply',
      outcome: 'succeeded',
    };
    expect(points(metrics.get('account_minting.runs'))).toEqual([
      expect.objectContaining({ attributes, value: 1 }),
    ]);
    expect(metrics.get('account_minting.runs')!.descriptor).toMatchObject({
      unit: '{run}',
      description: expect.stringContaining('Runs finished'),
    });

    const [duration] = points(metrics.get('account_minting.run.duration'));
    expect(duration.attributes).toEqual(attributes);
    expect(duration.value).toMatchObject({ count: 1, sum: 40 * 60 });

    const timeToRegion = metrics.get('account_minting.region.time_to_region');
    expect(timeToRegion!.descriptor.unit).toBe('s');
    const [wait] = points(timeToRegion);
    const histogram = wait.value as Histogram;
    expect(histogram).toMatchObject({ count: 1, sum: 45 * 60 });
    // The bucket advice: minutes to hours, not the SDK's default milliseconds.
    expect(histogram.buckets.boundaries).toContain(3600);
  });

  it('times a failed check run from its creation when it never started, without a time to region', async () => {
    const { minting, collect } = await setup();
    minting.runFinished({
      ...regionRun,
      pipeline: 'mint',
      mode: 'check',
      status: 'failed',
      startedAt: undefined,
    });
    minting.runFinished({ ...regionRun, status: 'running' });

    const metrics = await collect();
    const attributes = { pipeline: 'mint', mode: 'check', outcome: 'failed' };
    expect(points(metrics.get('account_minting.runs'))).toEqual([
      expect.objectContaining({ attributes, value: 1 }),
    ]);
    const [duration] = points(metrics.get('account_minting.run.duration'));
    expect(duration.value).toMatchObject({ count: 1, sum: 45 * 60 });
    expect(
      metrics.get('account_minting.region.time_to_region')?.dataPoints ?? [],
    ).toEqual([]);
  });

  it('counts and times finished steps by kind and outcome', async () => {
    const { minting, collect } = await setup();
    minting.stepFinished({
      kind: 'mint-account',
      status: 'succeeded',
      startedAt: '2026-01-01T10:00:00.000Z',
      finishedAt: '2026-01-01T10:00:02.500Z',
    });
    minting.stepFinished({ kind: 'mint-account', status: 'blocked' });

    const metrics = await collect();
    expect(points(metrics.get('account_minting.steps'))).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          attributes: { kind: 'mint-account', outcome: 'succeeded' },
          value: 1,
        }),
        expect.objectContaining({
          attributes: { kind: 'mint-account', outcome: 'blocked' },
          value: 1,
        }),
      ]),
    );
    // A step that never ran has no duration.
    const durations = points(metrics.get('account_minting.step.duration'));
    expect(durations).toHaveLength(1);
    expect(durations[0].attributes).toEqual({
      kind: 'mint-account',
      outcome: 'succeeded',
    });
    expect(durations[0].value).toMatchObject({ count: 1, sum: 2.5 });
  });

  it('counts AWS calls by outcome and throttled ones as throttles too', async () => {
    const { minting, collect } = await setup();
    minting.awsCall('organizations', 'ListRoots', 'ok');
    minting.awsCall('organizations', 'ListRoots', 'throttled');
    minting.awsCall('organizations', 'ListRoots', 'throttled');
    minting.awsCall('iam', 'GetRole', 'error');

    const metrics = await collect();
    expect(points(metrics.get('account_minting.aws.calls'))).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          attributes: {
            service: 'organizations',
            operation: 'ListRoots',
            outcome: 'ok',
          },
          value: 1,
        }),
        expect.objectContaining({
          attributes: {
            service: 'organizations',
            operation: 'ListRoots',
            outcome: 'throttled',
          },
          value: 2,
        }),
        expect.objectContaining({
          attributes: {
            service: 'iam',
            operation: 'GetRole',
            outcome: 'error',
          },
          value: 1,
        }),
      ]),
    );
    expect(points(metrics.get('account_minting.aws.throttles'))).toEqual([
      expect.objectContaining({
        attributes: { service: 'organizations', operation: 'ListRoots' },
        value: 2,
      }),
    ]);
  });

  it('reports the open findings read at each collection, 0 for the layers left out', async () => {
    const { minting, collect } = await setup();
    const read = jest
      .fn()
      .mockResolvedValueOnce({ tags: 3, 'ou-placement': 1 })
      .mockRejectedValueOnce(new Error('database gone'))
      .mockResolvedValueOnce({});
    const stop = minting.observeOpenFindings(read);

    const byLayer = async () =>
      Object.fromEntries(
        points((await collect()).get('account_minting.findings.open')).map(
          p => [p.attributes.layer, p.value],
        ),
      );
    expect(await byLayer()).toEqual({
      'account-missing': 0,
      'ou-placement': 1,
      tags: 3,
      'stray-account': 0,
      'provisioning-role': 0,
      provisioner: 0,
      policy: 0,
    });
    // A failed read reports the counts last read.
    expect(await byLayer()).toMatchObject({ tags: 3, 'ou-placement': 1 });
    expect(await byLayer()).toMatchObject({ tags: 0, 'ou-placement': 0 });
    expect(read).toHaveBeenCalledTimes(3);

    stop();
    await collect();
    expect(read).toHaveBeenCalledTimes(3);
  });

  it('reports the creation slots held in each payer organization at each collection', async () => {
    const { minting, collect } = await setup();
    const read = jest
      .fn()
      .mockResolvedValueOnce({ 'staging-2': 5, control: 0 })
      .mockRejectedValueOnce(new Error('database gone'))
      .mockResolvedValueOnce({ 'staging-2': 1, control: 0 });
    const stop = minting.observeCreationSlots(read);

    const byPayer = async () => {
      const gauge = (await collect()).get(
        'account_minting.creation.slots_in_use',
      );
      expect(gauge!.descriptor.unit).toBe('{slot}');
      return Object.fromEntries(
        points(gauge).map(p => [p.attributes.payer, p.value]),
      );
    };
    expect(await byPayer()).toEqual({ 'staging-2': 5, control: 0 });
    // A failed read reports the counts last read.
    expect(await byPayer()).toEqual({ 'staging-2': 5, control: 0 });
    expect(await byPayer()).toEqual({ 'staging-2': 1, control: 0 });

    stop();
    await collect();
    expect(read).toHaveBeenCalledTimes(3);
  });

  it('works on the global meter, a no-op until an SDK is set up', () => {
    const minting = new MintingMetrics();
    expect(() => {
      minting.runFinished(regionRun);
      minting.awsCall('sts', 'AssumeRole', 'ok');
      minting.observeOpenFindings(async () => ({}))();
      minting.observeCreationSlots(async () => ({}))();
    }).not.toThrow();
  });
});
