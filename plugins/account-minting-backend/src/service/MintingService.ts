import { InputError } from '@backstage/errors';
import {
  AccountQuota,
  FieldError,
  ValidRegionRequest,
} from '@regional-minting/plugin-account-minting-common';
import { Knex } from 'knex';
import { MintingConfig } from '../config/mintingConfig';
import {
  acceptedAccounts,
  DesiredRegion,
  desiredRegion,
} from '../estate/desired';
import { Plan } from '../estate/plan';
import { pipelineSteps } from '../pipelines';
import { planRun } from '../pipelines/planRun';
import { checkQuota, readAccountQuota } from '../aws/accountQuota';

import { actionable, DesiredState, RegionEntry } from '../regions/DesiredState';
import { RegionStore } from '../regions/RegionStore';
import { LogStore } from '../runs/LogStore';
import { RunFilter, RunRepository } from '../runs/RunRepository';
import { PipelineName, RunRecord } from '../runs/types';
import { RunExecutor } from '../engine/RunExecutor';

/** What the REST API, the scheduler and the scaffolder ask of the engine. */
export class MintingService {
  constructor(
    private readonly options: {
      config: MintingConfig;
      knex: Knex;
      runs: RunRepository;
      logs: LogStore;
      regions: RegionStore;
      desiredState: DesiredState;
      executor: RunExecutor;
    },
  ) {}

  /** Every region, decommissioned ones too, with its last run, in two queries. */
  async listRegions() {
    const [entries, lastRuns] = await Promise.all([
      this.options.desiredState.listAll(),
      this.options.runs.latestRunPerRegion(),
    ]);
    return entries.map(entry =>
      describeRegion(entry, lastRuns.get(entry.desired.name)),
    );
  }

  async getRegion(name: string) {
    const entry = await this.options.desiredState.get(name);
    const {
      items: [lastRun],
    } = await this.options.runs.listRuns({ region: name, limit: 1 });
    return describeRegion(entry, lastRun);
  }

  /**
   * A dry run of a region's whole run, for a region that may not be requested yet,
   * with its payer's accounts against the organization's account quota.
   */
  planRegion(request: ValidRegionRequest, requestedBy: string): Promise<Plan> {
    return this.planWithQuota(
      desiredRegion(this.options.config, request),
      requestedBy,
    );
  }

  /** A dry run of a region's whole run, with its payer's accounts against the quota when it creates some. */
  async planWithQuota(
    desired: DesiredRegion,
    requestedBy: string,
  ): Promise<Plan> {
    const plan = await planRun({
      means: this.options.executor.means(),
      pipeline: 'region',
      desired,
      requestedBy,
    });
    const quota = await this.quotaFor(desired, plan);
    return quota ? { ...plan, quota } : plan;
  }

  /**
   * The plan of a region request, when the accounts it creates fit its organization's
   * account quota.
   * @throws FieldError naming accountRoles, with the numbers, when they do not
   */
  async planFittingRegion(
    request: ValidRegionRequest,
    requestedBy: string,
  ): Promise<Plan> {
    const plan = await this.planRegion(request, requestedBy);
    refuseOverQuota(plan.quota);
    return plan;
  }

  /**
   * Checks, before anything is recorded or changed, that the accounts a region
   * creates fit its organization's account quota; the mint plan alone says which.
   * @throws FieldError naming accountRoles, with the numbers, when they do not
   */
  async checkAccountQuota(desired: DesiredRegion, requestedBy: string) {
    const plan = await planRun({
      means: this.options.executor.means(),
      pipeline: 'mint',
      desired,
      requestedBy,
    });
    refuseOverQuota(await this.quotaFor(desired, plan));
  }

  /** The payer's accounts against its quota, for a plan that creates accounts. */
  private async quotaFor(
    desired: DesiredRegion,
    plan: Plan,
  ): Promise<AccountQuota | undefined> {
    const needed = plan.actions.filter(
      a => a.action === 'create-account',
    ).length;
    if (needed === 0) return undefined;
    const means = this.options.executor.means();
    const usage = await readAccountQuota({
      config: this.options.config,
      payer: desired.payer,
      clients: means.clients,
      gates: means.gates,
      sessionName: `quota-${desired.name}`.slice(0, 64),
      backoff: means.timing.backoff,
    });
    const problem = checkQuota(usage, needed);
    return { ...usage, needed, ...(problem ? { problem } : {}) };
  }

  async planExistingRegion(options: {
    pipeline: PipelineName;
    region: string;
    account?: string;
    requestedBy: string;
  }): Promise<Plan> {
    const entry = await this.options.desiredState.get(options.region);
    return planRun({
      means: this.options.executor.means(),
      ...options,
      desired: checkedAccount(entry, options.account),
    });
  }

  /**
   * Records a region request and starts its whole region run, in one transaction:
   * a request refused on the way leaves nothing behind. Asking again returns the
   * same region and run.
   */
  async requestRegion(request: ValidRegionRequest, requestedBy: string) {
    const { config, knex, regions, desiredState } = this.options;
    // Over the account quota, nothing is recorded: its run could only fail.
    await this.checkAccountQuota(desiredRegion(config, request), requestedBy);
    const run = await knex.transaction(async tx => {
      const stored = await regions.request(
        request,
        acceptedAccounts(config, request),
        requestedBy,
        tx,
      );
      const entry =
        desiredState.declaredEntry(request.regionOu) ??
        desiredState.entryOf(stored);
      return this.createRun(entry, { pipeline: 'region', requestedBy }, tx);
    });
    this.options.executor.wake();
    return { region: await this.getRegion(request.regionOu), run };
  }

  /** Starts a pipeline for a region or one of its accounts, or returns the run already doing so. */
  async startRun(options: {
    pipeline: PipelineName;
    region: string;
    account?: string;
    requestedBy: string;
  }): Promise<RunRecord> {
    const entry = await this.options.desiredState.get(options.region);
    const run = await this.createRun(entry, options);
    this.options.executor.wake();
    return run;
  }

  /** Starts a pipeline's run of a region, or joins the one under way, in the caller's transaction. */
  createRun(
    entry: RegionEntry,
    options: { pipeline: PipelineName; account?: string; requestedBy: string },
    db?: Knex,
  ): Promise<RunRecord> {
    const desired = checkedAccount(entry, options.account);
    return this.options.runs.startOrJoin(
      {
        region: desired.name,
        pipeline: options.pipeline,
        account: options.account,
        requestedBy: options.requestedBy,
        steps: pipelineSteps(
          this.options.config,
          options.pipeline,
          desired,
          options.account,
        ),
      },
      db,
    );
  }

  listRuns(page: RunFilter & { cursor?: string; limit?: number }) {
    return this.options.runs.listRuns(page);
  }

  async getRun(id: string) {
    const run = await this.options.runs.getRun(id);
    return { ...run, steps: await this.options.runs.getSteps(id) };
  }

  getLogs(
    id: string,
    options: { stepId?: string; afterId?: number; limit?: number },
  ) {
    return this.options.logs.getLogs(id, options);
  }

  cancelRun(id: string) {
    return this.options.runs.cancelRun(id);
  }

  async retryRun(id: string) {
    const run = await this.options.runs.retryRun(id);
    this.options.executor.wake();
    return run;
  }
}

/** @throws FieldError naming accountRoles when the accounts do not fit the quota */
function refuseOverQuota(quota: AccountQuota | undefined) {
  if (quota?.problem) throw new FieldError('accountRoles', quota.problem);
}

/**
 * The region a run or a dry run acts on, when it fits the configuration.
 * @throws InputError for an account the region does not have
 */
function checkedAccount(entry: RegionEntry, account?: string): DesiredRegion {
  const { desired } = actionable(entry);
  if (account && !desired.accounts.some(a => a.name === account)) {
    throw new InputError(
      `account: ${account} is not an account of ${
        desired.name
      }; its accounts are ${desired.accounts.map(a => a.name).join(', ')}`,
    );
  }
  return desired;
}

/** A region as the API shows it: desired, where it comes from, whether it still fits, and its last run. */
function describeRegion(entry: RegionEntry, lastRun: RunRecord | undefined) {
  return {
    ...entry.desired,
    source: entry.source,
    requestedBy: entry.requestedBy,
    requestedAt: entry.requestedAt,
    problem: entry.problem,
    status: entry.status,
    decommissionedBy: entry.decommissionedBy,
    decommissionedAt: entry.decommissionedAt,
    lastRun,
  };
}
