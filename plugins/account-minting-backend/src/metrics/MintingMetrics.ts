import {
  Attributes,
  Counter,
  Histogram,
  Meter,
  metrics,
  ObservableGauge,
  ObservableResult,
} from '@opentelemetry/api';
import {
  DRIFT_LAYERS,
  DriftLayer,
  FINISHED_RUN_STATUSES,
  isOneOf,
  RunRecord,
} from '@regional-minting/plugin-account-minting-common';
import type { AwsCallOutcome } from '../aws/AwsClients';

/** How a run ended. */
export type RunOutcome = (typeof FINISHED_RUN_STATUSES)[number];

/** What stepFinished needs of a step: a StepRecord will do. */
export interface FinishedStep {
  kind: string;
  status: string;
  startedAt?: string;
  finishedAt?: string;
}

/** Seconds, from a second to a few hours: runs and steps. */
const DURATION_BUCKETS = [
  0.1, 0.5, 1, 2, 5, 10, 30, 60, 120, 300, 600, 1200, 1800, 3600, 7200, 14400,
];
/** Seconds, from a minute to a day: how long a requester waits for a region. */
const TIME_TO_REGION_BUCKETS = [
  60, 120, 300, 600, 900, 1200, 1800, 2700, 3600, 5400, 7200, 10800, 14400,
  21600, 43200, 86400,
];

/** Seconds from one ISO 8601 time to another, or undefined when either is absent or unreadable. */
function secondsBetween(from?: string, to?: string): number | undefined {
  if (!from || !to) return undefined;
  const seconds = (Date.parse(to) - Date.parse(from)) / 1000;
  return Number.isFinite(seconds) && seconds >= 0 ? seconds : undefined;
}

/**
 * The OpenTelemetry metrics of account minting, all named `account_minting.*`: runs,
 * steps, AWS calls and open drift findings. Without a meter it uses the global
 * meter provider's `account-minting` meter, which is a no-op until an SDK is set up.
 */
export class MintingMetrics {
  private readonly runs: Counter;
  private readonly runDuration: Histogram;
  private readonly timeToRegion: Histogram;
  private readonly steps: Counter;
  private readonly stepDuration: Histogram;
  private readonly awsCalls: Counter;
  private readonly awsThrottles: Counter;
  private readonly openFindings: ObservableGauge;
  private readonly creationSlots: ObservableGauge;

  constructor(meter: Meter = metrics.getMeter('account-minting')) {
    this.runs = meter.createCounter('account_minting.runs', {
      unit: '{run}',
      description:
        'Runs finished, by pipeline, mode and outcome (succeeded, failed or cancelled).',
    });
    this.runDuration = meter.createHistogram('account_minting.run.duration', {
      unit: 's',
      description:
        'How long finished runs took, from their start (or creation when they never started) to their end.',
      advice: { explicitBucketBoundaries: DURATION_BUCKETS },
    });
    this.timeToRegion = meter.createHistogram(
      'account_minting.region.time_to_region',
      {
        unit: 's',
        description:
          'How long a requester waited for a region: from the creation of a region apply run to its success.',
        advice: { explicitBucketBoundaries: TIME_TO_REGION_BUCKETS },
      },
    );
    this.steps = meter.createCounter('account_minting.steps', {
      unit: '{step}',
      description: 'Steps finished, by kind and outcome.',
    });
    this.stepDuration = meter.createHistogram('account_minting.step.duration', {
      unit: 's',
      description: 'How long finished steps took, by kind and outcome.',
      advice: { explicitBucketBoundaries: DURATION_BUCKETS },
    });
    this.awsCalls = meter.createCounter('account_minting.aws.calls', {
      unit: '{call}',
      description:
        "Attempts of AWS calls, the SDK's retries included, by service, operation and outcome (ok, throttled or error).",
    });
    this.awsThrottles = meter.createCounter('account_minting.aws.throttles', {
      unit: '{call}',
      description: 'Attempts of AWS calls refused as throttled.',
    });
    this.openFindings = meter.createObservableGauge(
      'account_minting.findings.open',
      {
        unit: '{finding}',
        description: 'Open drift findings, by layer.',
      },
    );
    this.creationSlots = meter.createObservableGauge(
      'account_minting.creation.slots_in_use',
      {
        unit: '{slot}',
        description:
          'Account creations in progress in each payer organization, by any replica (AWS allows five at once).',
      },
    );
  }

  /** Counts a finished run, and times it; a run that has not finished is ignored. */
  runFinished(run: RunRecord): void {
    if (!isOneOf(FINISHED_RUN_STATUSES, run.status)) return;
    const attributes: Attributes = {
      pipeline: run.pipeline,
      mode: run.mode,
      outcome: run.status,
    };
    this.runs.add(1, attributes);
    const duration = secondsBetween(
      run.startedAt ?? run.createdAt,
      run.finishedAt,
    );
    if (duration !== undefined) this.runDuration.record(duration, attributes);
    if (
      run.pipeline === 'region' &&
      run.mode === 'apply' &&
      run.status === 'succeeded'
    ) {
      const wait = secondsBetween(run.createdAt, run.finishedAt);
      if (wait !== undefined) this.timeToRegion.record(wait);
    }
  }

  /** Counts a finished step by its kind and status, and times it when it ran. */
  stepFinished(step: FinishedStep): void {
    const attributes: Attributes = { kind: step.kind, outcome: step.status };
    this.steps.add(1, attributes);
    const duration = secondsBetween(step.startedAt, step.finishedAt);
    if (duration !== undefined) this.stepDuration.record(duration, attributes);
  }

  /** Counts one attempt of an AWS call, such as ('organizations', 'ListRoots', 'ok'). */
  awsCall(service: string, operation: string, outcome: AwsCallOutcome): void {
    this.awsCalls.add(1, { service, operation, outcome });
    if (outcome === 'throttled')
      this.awsThrottles.add(1, { service, operation });
  }

  /**
   * Reports the open findings of each layer (0 for a layer `read` leaves out) whenever
   * the metrics are collected. The callback is asynchronous, which OpenTelemetry awaits
   * within its collection timeout; when `read` fails, the counts last read are reported.
   * Returns a function that stops the reporting.
   */
  observeOpenFindings(
    read: () => Promise<Partial<Record<DriftLayer, number>>>,
  ): () => void {
    return observeByKey(this.openFindings, 'layer', DRIFT_LAYERS, read);
  }

  /**
   * Reports the creation slots held in each payer organization (CreationSlots.heldByPayer)
   * whenever the metrics are collected; when `read` fails, the counts last read are
   * reported. Returns a function that stops the reporting.
   */
  observeCreationSlots(
    read: () => Promise<Record<string, number>>,
  ): () => void {
    return observeByKey(this.creationSlots, 'payer', [], read);
  }
}

/**
 * Reports on `gauge` the count `read` gives for each key, under the attribute `attribute`,
 * and 0 for each of `always` it leaves out; the counts last read when `read` fails.
 */
function observeByKey(
  gauge: ObservableGauge,
  attribute: string,
  always: readonly string[],
  read: () => Promise<Partial<Record<string, number>>>,
): () => void {
  let last: Partial<Record<string, number>> | undefined;
  const callback = async (result: ObservableResult) => {
    try {
      last = await read();
    } catch {
      // Keep the counts last read: a failed read says nothing of what they are now.
    }
    if (!last) return;
    const keys = new Set<string>([...always, ...Object.keys(last)]);
    for (const key of keys) {
      result.observe(last[key] ?? 0, { [attribute]: key });
    }
  };
  gauge.addCallback(callback);
  return () => gauge.removeCallback(callback);
}
