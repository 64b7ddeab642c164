import { LoggerService } from '@backstage/backend-plugin-api';
import { ProvisionerRegistry } from '@regional-minting/plugin-account-minting-node';
import { randomUUID } from 'node:crypto';
import pLimit from 'p-limit';
import { setTimeout as sleep } from 'node:timers/promises';
import { AwsClients } from '../aws/AwsClients';
import { CreationSlots } from '../aws/CreationSlots';
import { CreationTimes } from '../aws/CreationTimes';
import { CreationTracker } from '../aws/observer/CreationTracker';
import {
  OrganizationObserver,
  OrganizationObservers,
} from '../aws/observer/OrganizationObserver';
import { PayerGates } from '../aws/OrganizationSession';
import { backoffDelay, isTransient, WaitUntilError } from '../aws/retry';
import { MintingConfig } from '../config/mintingConfig';
import { LogStore } from '../runs/LogStore';
import { RunRepository } from '../runs/RunRepository';
import { StepQueue } from '../runs/StepQueue';
import { StepRecord } from '../runs/types';
import { EngineMeans } from './dryRun';
import { BaseStepContext, EngineTiming } from './stepContext';
import { StepRegistry } from './StepRegistry';
import {
  BackendStoppedError,
  LeaseLostError,
  RunCancelledError,
  StepEndedError,
} from './stepStops';

// How long a stop waits for a claim in progress; after that the claim's lease takes care of it.
const STOP_WAIT_MS = 2000;

export interface RunExecutorOptions {
  queue: StepQueue;
  logs: LogStore;
  runs: Pick<RunRepository, 'getRun' | 'getSteps'>;
  /** What runs each kind of step. */
  steps: StepRegistry;
  config: MintingConfig;
  clients: AwsClients;
  gates: PayerGates;
  creationSlots: CreationSlots;
  timing: EngineTiming;
  logger: LoggerService;
  /** Steps this backend runs at once. */
  concurrency: number;
  /** How long a claim lasts without a heartbeat; another backend takes the step over after it. */
  leaseMs: number;
  /** How often an idle executor looks for work. */
  pollIntervalMs: number;
  /** Attempts of a step that keeps failing with transient errors. */
  maxAttempts: number;
  provisioners: ProvisionerRegistry;
  /** Provisioning steps this backend runs at once. */
  maxConcurrentProvisioning: number;
  /** How old a read of an organization's shared copy may be before a step reads it again. */
  observerMaxAgeMs: number;
}

/**
 * Claims due steps from the database and runs them, like the scaffolder's task
 * worker: each claim is a lease kept alive by heartbeats, so that a backend that
 * dies leaves its steps to the next one, and no two backends run one step at once.
 */
export class RunExecutor {
  private readonly workerId = `worker-${randomUUID()}`;
  private readonly running = new Map<
    string,
    { abort: AbortController; done: Promise<void> }
  >();
  private timer?: NodeJS.Timeout;
  private stopped = true;
  private ticking?: Promise<void>;

  private readonly provisionGate: ReturnType<typeof pLimit>;
  /** One copy of each payer organization, shared by every step this backend runs. */
  readonly observers: OrganizationObservers;

  constructor(private readonly options: RunExecutorOptions) {
    this.provisionGate = pLimit(options.maxConcurrentProvisioning);
    const times = new CreationTimes();
    this.observers = new OrganizationObservers(
      payer =>
        new OrganizationObserver(payer, {
          maxAgeMs: options.observerMaxAgeMs,
          creations: new CreationTracker({
            payer,
            times,
            pollMinMs: options.timing.pollMinMs,
          }),
        }),
    );
  }

  start(): void {
    this.stopped = false;
    this.schedule(0);
  }

  /** Wakes the executor now, such as right after a run was created. */
  wake(): void {
    if (!this.stopped) this.schedule(0);
  }

  /**
   * Stops claiming. With `abandon`, running steps are aborted and left to their
   * lease, as if this backend died; otherwise they finish first.
   */
  async stop(options: { abandon?: boolean } = {}): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    // A claim stuck on a database that went away must not hold the shutdown; its lease expires anyway.
    const bound = new AbortController();
    await Promise.race([
      this.ticking,
      sleep(STOP_WAIT_MS, undefined, { signal: bound.signal }).catch(() => {}),
    ]);
    bound.abort();
    if (options.abandon)
      this.running.forEach(r => r.abort.abort(new BackendStoppedError()));
    await Promise.allSettled([...this.running.values()].map(r => r.done));
  }

  private schedule(delayMs: number) {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.ticking = this.tick().finally(() => {
        this.ticking = undefined;
        if (!this.stopped) this.schedule(this.options.pollIntervalMs);
      });
    }, delayMs);
  }

  /** Claims as many steps as it has room for, in one claim, and starts them. */
  private async tick(): Promise<void> {
    while (!this.stopped && this.running.size < this.options.concurrency) {
      let steps: StepRecord[];
      try {
        steps = await this.options.queue.claim(
          this.workerId,
          this.options.leaseMs,
          this.options.concurrency - this.running.size,
        );
      } catch (error) {
        this.options.logger.error(`claiming steps failed: ${error}`);
        return;
      }
      if (steps.length === 0) return;
      for (const step of steps) {
        const abort = new AbortController();
        const done = this.execute(step, abort).finally(() => {
          this.running.delete(step.id);
          this.wake();
        });
        this.running.set(step.id, { abort, done });
      }
    }
  }

  private async execute(
    step: StepRecord,
    abort: AbortController,
  ): Promise<void> {
    const { queue, logger } = this.options;
    const stepLogger = logger.child({
      runId: step.runId,
      stepId: step.id,
      step: step.key,
    });
    const heartbeat = setInterval(async () => {
      try {
        const lease = await queue.heartbeat(
          step.id,
          this.workerId,
          this.options.leaseMs,
        );
        if (lease !== 'ok')
          abort.abort(
            lease === 'cancelled'
              ? new RunCancelledError()
              : new LeaseLostError(),
          );
      } catch (error) {
        stepLogger.warn(`heartbeat failed: ${error}`);
      }
    }, Math.max(50, Math.floor(this.options.leaseMs / 3)));

    try {
      const base = await this.baseContext(step, abort.signal, stepLogger);
      const outputs = await this.options.steps.run(base);
      await queue.completeStep(step.id, this.workerId, {
        status: 'succeeded',
        outputs,
      });
    } catch (error) {
      await this.fail(step, error, abort.signal, stepLogger);
    } finally {
      clearInterval(heartbeat);
      // Calls the handler left running (a Promise.all that failed early) stop here.
      if (!abort.signal.aborted) abort.abort(new StepEndedError());
    }
  }

  private async fail(
    step: StepRecord,
    error: unknown,
    signal: AbortSignal,
    stepLogger: LoggerService,
  ) {
    const { queue, logs } = this.options;
    const message = error instanceof Error ? error.message : String(error);
    if (signal.aborted) {
      // Cancelled runs record the step as cancelled; a lost or abandoned lease is left to the next worker.
      if (signal.reason instanceof RunCancelledError) {
        await queue
          .completeStep(step.id, this.workerId, {
            status: 'failed',
            error: 'cancelled',
          })
          .catch(() => {});
      }
      return;
    }
    try {
      if (error instanceof WaitUntilError) {
        await logs.appendLog({
          runId: step.runId,
          stepId: step.id,
          level: 'info',
          message,
        });
        await queue.retryStepLater(
          step.id,
          this.workerId,
          error.notBefore,
          message,
          {
            countAttempt: false,
          },
        );
        return;
      }
      if (isTransient(error) && step.attempts < this.options.maxAttempts) {
        const delay = backoffDelay(step.attempts, this.options.timing.backoff);
        stepLogger.warn(
          `attempt ${step.attempts} failed, again in ${delay} ms: ${message}`,
        );
        await logs.appendLog({
          runId: step.runId,
          stepId: step.id,
          level: 'warn',
          message: `attempt ${step.attempts} failed: ${message}`,
        });
        await queue.retryStepLater(
          step.id,
          this.workerId,
          new Date(Date.now() + delay),
          message,
        );
        return;
      }
      stepLogger.error(`step failed: ${message}`);
      await logs.appendLog({
        runId: step.runId,
        stepId: step.id,
        level: 'error',
        message,
      });
      await queue.completeStep(step.id, this.workerId, {
        status: 'failed',
        error: message,
      });
    } catch (storeError) {
      stepLogger.error(
        `could not record the failure of the step: ${storeError}`,
      );
    }
  }

  /** What every step is given, a run's or a dry run's: the configuration and the engine's means. */
  means(): EngineMeans {
    return {
      config: this.options.config,
      clients: this.options.clients,
      gates: this.options.gates,
      creationSlots: this.options.creationSlots,
      observers: this.observers,
      timing: this.options.timing,
      provisioners: this.options.provisioners,
      provisionGate: task => this.provisionGate(task),
    };
  }

  private async baseContext(
    step: StepRecord,
    signal: AbortSignal,
    stepLogger: LoggerService,
  ): Promise<BaseStepContext> {
    const { queue, logs, runs, config } = this.options;
    const [run, steps] = await Promise.all([
      runs.getRun(step.runId),
      runs.getSteps(step.runId),
    ]);
    const payer = config.payers.find(p => p.name === step.target.payer)!;
    return {
      ...this.means(),
      run,
      step,
      intent: 'apply',
      dependencyOutputs: Object.fromEntries(
        steps
          .filter(s => step.dependsOn.includes(s.key))
          .map(s => [s.key, s.outputs]),
      ),
      payer,
      signal,
      saveProgress: async patch => {
        await queue.saveStepProgress(step.id, this.workerId, patch);
        if (patch.state) step.state = patch.state;
      },
      log: (level, message) => {
        stepLogger[level](message);
        logs
          .appendLog({ runId: step.runId, stepId: step.id, level, message })
          .catch(error =>
            stepLogger.warn(`could not keep a log line: ${error}`),
          );
      },
    };
  }
}
