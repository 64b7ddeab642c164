import { LoggerService } from '@backstage/backend-plugin-api';
import { ConflictError, InputError } from '@backstage/errors';
import {
  ACTIVE_RUN_STATUSES,
  CHECKED_PIPELINES,
  DriftFilter,
  DriftFinding,
  WHOLE_ESTATE,
} from '@regional-minting/plugin-account-minting-common';
import { MintingConfig } from '../config/mintingConfig';
import { MintingService } from '../service/MintingService';
import { RunExecutor } from '../engine/RunExecutor';
import { MAX_RUN_PAGE, RunRepository } from '../runs/RunRepository';
import { RunRecord } from '../runs/types';
import { CheckedPipeline, checkSteps } from './checks';
import { MintingNotifier } from '../notifications/MintingNotifier';
import { FindingStore, FoundDrift } from './FindingStore';

/** Who starts the runs the engine starts by itself, in runs' requestedBy. */
export const SCHEDULER = 'plugin:account-minting/scheduler';
export const DRIFT_REPAIR = 'plugin:account-minting/drift-repair';

/**
 * Drift checks and what follows them: findings recorded, people told, and under
 * an environment's `repair` policy, the runs that put the differences right.
 */
export class DriftService {
  constructor(
    private readonly options: {
      config: MintingConfig;
      runs: RunRepository;
      findings: FindingStore;
      minting: MintingService;
      executor: RunExecutor;
      notifier: MintingNotifier;
      logger: LoggerService;
    },
  ) {}

  /** The pipelines that can be checked: bootstrap and provision need a provisioning role configured. */
  checkedPipelines(): readonly CheckedPipeline[] {
    return this.options.config.bootstrap ? CHECKED_PIPELINES : ['mint'];
  }

  /**
   * Starts a drift check of a pipeline across the estate, or returns the one under way.
   * @throws InputError for a pipeline that cannot be checked
   */
  async startCheck(
    pipeline: CheckedPipeline,
    requestedBy: string,
  ): Promise<RunRecord> {
    if (!this.checkedPipelines().includes(pipeline)) {
      throw new InputError(
        `pipeline: ${pipeline} cannot be checked without accountMinting.bootstrap, which is not configured`,
      );
    }
    const run = await this.options.runs.startOrJoin({
      pipeline,
      mode: 'check',
      region: WHOLE_ESTATE,
      requestedBy,
      steps: checkSteps(this.options.config, pipeline),
    });
    this.options.executor.wake();
    return run;
  }

  /** What a check's step found in a payer: recorded, told, and repaired where the policy says so. */
  async record(
    run: RunRecord,
    payer: string,
    pipeline: CheckedPipeline,
    found: FoundDrift[],
  ): Promise<void> {
    const { findings, notifier } = this.options;
    const opened = await findings.reconcile({ pipeline, payer }, found, run.id);
    await notifier.newFindings(opened);
    await notifier.signal({
      type: 'findings',
      regions: [...new Set(found.map(f => f.region))],
    });
    await this.repairByPolicy(pipeline, found);
  }

  /**
   * Under `repair`, one apply run of the pipeline per region with something to put right:
   * the run under way on the region that covers the pipeline's findings, or a new one.
   * The region's open repairable findings of the pipeline are linked to that run, whose
   * success resolves them (FindingStore.resolveRepaired).
   */
  private async repairByPolicy(
    pipeline: CheckedPipeline,
    found: FoundDrift[],
  ): Promise<void> {
    const repairing = new Set(
      this.options.config.environments
        .filter(e => e.drift === 'repair')
        .map(e => e.name),
    );
    const regions = new Set(
      found
        .filter(f => f.repairable && repairing.has(f.environment))
        .map(f => f.region),
    );
    for (const region of regions) {
      try {
        const run =
          (await this.coveringRun(pipeline, region)) ??
          (await this.options.minting.startRun({
            pipeline,
            region,
            requestedBy: DRIFT_REPAIR,
          }));
        const open = await this.options.findings.list({
          region,
          status: 'open',
        });
        await this.options.findings.setRepairRun(
          open
            .filter(f => f.pipeline === pipeline && f.repairable)
            .map(f => f.id),
          run.id,
        );
      } catch (error) {
        this.options.logger.warn(
          `could not start the ${pipeline} run repairing ${region}: ${error}`,
        );
      }
    }
  }

  /**
   * A run under way on the region that brings the pipeline's layers to the desired state
   * of the whole region: a region run, or an apply run of the same pipeline that is not
   * limited to one account. A run of another pipeline, such as a mint run for a
   * bootstrap finding, repairs none of them.
   */
  private async coveringRun(
    pipeline: CheckedPipeline,
    region: string,
  ): Promise<RunRecord | undefined> {
    // A region has one active run per target at most: far fewer than a page.
    const { items: active } = await this.options.runs.listRuns({
      region,
      status: [...ACTIVE_RUN_STATUSES],
      limit: MAX_RUN_PAGE,
    });
    return active.find(
      run =>
        run.mode === 'apply' &&
        !run.account &&
        (run.pipeline === 'region' || run.pipeline === pipeline),
    );
  }

  /** Starts the run that repairs a finding, or returns the one already doing it. */
  async repair(id: string, requestedBy: string): Promise<RunRecord> {
    const finding = await this.repairableFinding(id);
    const run = await this.options.minting.startRun({
      pipeline: finding.pipeline,
      region: finding.region,
      account: finding.account,
      requestedBy,
    });
    await this.options.findings.setRepairRun([id], run.id);
    return run;
  }

  /**
   * A finding the engine can repair now.
   * @throws ConflictError for one resolved already or that no pipeline repairs
   */
  async repairableFinding(id: string): Promise<DriftFinding> {
    const finding = await this.options.findings.get(id);
    if (finding.resolvedAt) {
      throw new ConflictError(
        `finding ${id} was resolved (${finding.resolution}) at ${finding.resolvedAt}; there is nothing to repair`,
      );
    }
    if (!finding.repairable) {
      throw new ConflictError(
        `finding ${id} cannot be repaired by the engine: ${finding.summary}`,
      );
    }
    return finding;
  }

  list(filter: DriftFilter) {
    return this.options.findings.list(filter);
  }

  /** A finished run: an apply run that succeeded repaired its region's findings; people hear of failures. */
  async runFinished(run: RunRecord): Promise<void> {
    if (run.mode === 'apply' && run.status === 'succeeded') {
      const repaired = await this.options.findings.resolveRepaired(run);
      if (repaired > 0) {
        await this.options.notifier.signal({
          type: 'findings',
          regions: [run.region],
        });
      }
    }
    await this.options.notifier.runFinished(run);
  }
}
