import { InputError } from '@backstage/errors';
import { ValidRegionRequest } from '@regional-minting/plugin-account-minting-common';
import { AwsClients } from '../aws/AwsClients';
import { PayerGates } from '../aws/OrganizationSession';
import { MintingConfig } from '../config/mintingConfig';
import { desiredRegion } from '../estate/desired';
import { Plan } from '../estate/plan';
import { pipelineSteps } from '../pipelines';
import { planMint } from '../pipelines/mint';
import { EngineTiming } from '../pipelines/types';
import { DesiredState } from '../regions/DesiredState';
import { RegionStore } from '../regions/RegionStore';
import { RunStore } from '../runs/RunStore';
import { PipelineName, RunRecord, RunStatus } from '../runs/types';
import { RunExecutor } from './RunExecutor';

/** What the REST API, the scheduler and the scaffolder ask of the engine. */
export class MintingService {
  constructor(
    private readonly options: {
      config: MintingConfig;
      store: RunStore;
      regions: RegionStore;
      desiredState: DesiredState;
      clients: AwsClients;
      gates: PayerGates;
      timing: EngineTiming;
      executor: RunExecutor;
    },
  ) {}

  async listRegions() {
    const entries = await this.options.desiredState.list();
    return Promise.all(
      entries.map(async entry => this.describeRegion(entry.desired.name)),
    );
  }

  async getRegion(name: string) {
    return this.describeRegion(name);
  }

  private async describeRegion(name: string) {
    const entry = await this.options.desiredState.get(name);
    const [lastRun] = await this.options.store.listRuns({
      region: name,
      limit: 1,
    });
    return {
      ...entry.desired,
      source: entry.source,
      requestedBy: entry.requestedBy,
      requestedAt: entry.requestedAt,
      lastRun,
    };
  }

  /** A dry run of a region that may not be requested yet. */
  planRegion(request: ValidRegionRequest): Promise<Plan> {
    const { config, clients, gates, timing } = this.options;
    return planMint({
      config,
      clients,
      gates,
      timing,
      desired: desiredRegion(config, request),
    });
  }

  async planExistingRegion(name: string): Promise<Plan> {
    const { config, clients, gates, timing } = this.options;
    const { desired } = await this.options.desiredState.get(name);
    return planMint({ config, clients, gates, timing, desired });
  }

  /** Records a region request and starts its whole region run; asking again returns the same region and run. */
  async requestRegion(request: ValidRegionRequest, requestedBy: string) {
    const { region } = await this.options.regions.request(request, requestedBy);
    const run = await this.startRun({
      pipeline: 'region',
      region: region.regionOu,
      requestedBy,
    });
    return { region: await this.describeRegion(region.regionOu), run };
  }

  /** Starts a pipeline for a region or one of its accounts, or returns the run already doing so. */
  async startRun(options: {
    pipeline: PipelineName;
    region: string;
    account?: string;
    requestedBy: string;
  }): Promise<RunRecord> {
    const { desired } = await this.options.desiredState.get(options.region);
    if (
      options.account &&
      !desired.accounts.some(a => a.name === options.account)
    ) {
      throw new InputError(
        `account: ${options.account} is not an account of ${
          desired.name
        }; its accounts are ${desired.accounts.map(a => a.name).join(', ')}`,
      );
    }
    const run = await this.options.store.startOrJoin({
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
    });
    this.options.executor.wake();
    return run;
  }

  listRuns(filter: {
    region?: string;
    pipeline?: string;
    status?: RunStatus[];
  }) {
    return this.options.store.listRuns({ ...filter, limit: 200 });
  }

  async getRun(id: string) {
    const run = await this.options.store.getRun(id);
    return { ...run, steps: await this.options.store.getSteps(id) };
  }

  getLogs(id: string, options: { stepId?: string; afterId?: number }) {
    return this.options.store.getLogs(id, { ...options, limit: 1000 });
  }

  cancelRun(id: string) {
    return this.options.store.cancelRun(id);
  }

  async retryRun(id: string) {
    const run = await this.options.store.retryRun(id);
    this.options.executor.wake();
    return run;
  }
}
