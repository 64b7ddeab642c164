import { LoggerService } from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import { ProvisionerRegistry } from '@regional-minting/plugin-account-minting-node';
import { Knex } from 'knex';
import { AwsClients } from './aws/AwsClients';
import { CreationSlots, CREATIONS_PER_ORGANIZATION } from './aws/CreationSlots';
import { PayerGates } from './aws/OrganizationSession';
import { MintingConfig } from './config/mintingConfig';
import { DecommissionRegionSources, registerPipelineSteps } from './pipelines';
import { ClosureLedger } from './lifecycle/ClosureLedger';
import { LifecycleService } from './lifecycle/LifecycleService';
import { EngineTiming } from './engine/stepContext';
import { DesiredState } from './regions/DesiredState';
import { RegionStore } from './regions/RegionStore';
import { DatabaseLogStore } from './runs/LogStore';
import { DatabaseRunRepository } from './runs/RunRepository';
import { DatabaseStepQueue } from './runs/StepQueue';
import { RunRecord } from './runs/types';
import { NotificationService } from '@backstage/plugin-notifications-node';
import { SignalsService } from '@backstage/plugin-signals-node';
import { registerDriftChecks } from './drift/checks';
import { MintingNotifier } from './notifications/MintingNotifier';
import { wasRegionReady } from './notifications/regionReadiness';
import { DriftService } from './drift/DriftService';
import { FindingStore } from './drift/FindingStore';
import { EventsService } from '@backstage/plugin-events-node';
import { publishRunFinished } from './runFinishedEvent';
import { MintingMetrics } from './metrics';
import { EstateView } from './estate/EstateView';
import { MintingService } from './service/MintingService';
import { RunExecutor } from './engine/RunExecutor';
import { StepRegistry } from './engine/StepRegistry';
import { MembershipCheck } from './changes/approverGroups';
import { ChangeService } from './changes/ChangeService';
import { ChangeStore } from './changes/ChangeStore';
import { changeWork } from './service/changeWork';

/** The engine of one backend: its stores, AWS clients, executor and the service the API calls. */
export async function createMintingEngine(options: {
  config: MintingConfig;
  rootConfig: Config;
  knex: Knex;
  logger: LoggerService;
  provisioners: ProvisionerRegistry;
  notifications?: NotificationService;
  signals?: SignalsService;
  /** Where finished runs are announced, for the catalog's estate provider. */
  events?: EventsService;
  /** Whether a user belongs to a group: who may approve changes. Without it nobody may. */
  isMember?: MembershipCheck;
}) {
  const { config, knex, logger } = options;
  const { engine } = config;
  const timing: EngineTiming = {
    pollMinMs: engine.creationPollMs.min,
    pollMaxMs: engine.creationPollMs.max,
    backoff: engine.retries,
  };
  const regions = new RegionStore(knex);
  const desiredState = new DesiredState(config, regions);
  await desiredState.resolveEarlierRequests();
  const findings = new FindingStore(knex);
  const metrics = new MintingMetrics();
  metrics.observeOpenFindings(() => findings.countOpenByLayer());
  // Told of every run that finishes, once a change that finished it is committed.
  const runFinished: ((run: RunRecord) => void)[] = [];
  const onRunFinished = (run: RunRecord) => {
    metrics.runFinished(run);
    if (options.events) {
      publishRunFinished(options.events, run).catch(error =>
        logger.warn(`could not announce that run ${run.id} finished: ${error}`),
      );
    }
    runFinished.forEach(listener => listener(run));
  };
  const runs = new DatabaseRunRepository({ knex, onRunFinished });
  const queue = new DatabaseStepQueue({
    knex,
    onRunFinished,
    onStepFinished: step => metrics.stepFinished(step),
  });
  const logs = new DatabaseLogStore({ knex });
  const clients = await AwsClients.fromConfig(
    options.rootConfig,
    config,
    (service, operation, outcome) =>
      metrics.awsCall(service, operation, outcome),
  );
  const gates = new PayerGates({
    callConcurrency: engine.callsPerPayer,
    callsPerSecond: engine.callsPerSecond,
  });
  const creationSlots = new CreationSlots({
    knex,
    slotsPerPayer: CREATIONS_PER_ORGANIZATION,
    // A creation outlives the backend that started it: its slot waits for the step's next worker.
    leaseMs: engine.leaseSeconds * 1000 * 3,
    // A free slot is looked for in the database, which is cheap: at most a second apart.
    pollMinMs: Math.min(engine.creationPollMs.min, 250),
    pollMaxMs: Math.min(engine.creationPollMs.max, 1000),
  });
  metrics.observeCreationSlots(() => creationSlots.heldByPayer());
  const steps = new StepRegistry();
  const executor = new RunExecutor({
    queue,
    logs,
    runs,
    steps,
    config,
    clients,
    gates,
    creationSlots,
    timing,
    logger,
    concurrency: engine.concurrency,
    leaseMs: engine.leaseSeconds * 1000,
    pollIntervalMs: engine.pollIntervalMs,
    maxAttempts: engine.maxStepAttempts,
    provisioners: options.provisioners,
    maxConcurrentProvisioning: config.provision?.maxConcurrentSteps ?? 10,
    observerMaxAgeMs: engine.observerMaxAgeSeconds * 1000,
  });
  const minting = new MintingService({
    config,
    knex,
    runs,
    logs,
    regions,
    desiredState,
    executor,
  });
  const estate = new EstateView({
    config,
    clients,
    gates,
    timing,
    desiredState,
    runs,
    maxAgeMs: engine.estateMaxAgeSeconds * 1000,
  });
  const notifier = new MintingNotifier({
    notifications: options.notifications,
    signals: options.signals,
    notifyGroup: config.drift.notifyGroup,
    portalPath: '/account-minting',
    logger,
    requesterOf: async region => {
      const entry = await desiredState.get(region).catch(() => undefined);
      return entry?.requestedBy;
    },
    wasRegionReady: run => wasRegionReady(runs, run),
  });
  const drift = new DriftService({
    config,
    runs,
    findings,
    minting,
    executor,
    notifier,
    logger,
  });
  runFinished.push(run =>
    drift
      .runFinished(run)
      .catch(error => logger.warn(`after run ${run.id} finished: ${error}`)),
  );
  const decommission: DecommissionRegionSources = {
    retiringRegion: async name =>
      (await desiredState.withRetiredAccounts(name)).desired,
    closures: new ClosureLedger(knex),
    records: {
      status: async name => (await regions.get(name))?.status ?? 'active',
      markDecommissioned: async (name, by) => {
        await regions.setStatus(name, 'decommissioned', by);
      },
    },
  };
  registerPipelineSteps(steps, {
    desiredRegion: async name =>
      (await desiredState.getActionable(name)).desired,
    decommission,
  });
  const lifecycle = new LifecycleService({
    config,
    knex,
    regions,
    desiredState,
    runs,
    executor,
    minting,
    closures: decommission.closures,
    decommission,
    estate,
  });
  registerDriftChecks(steps, {
    desiredState,
    runs,
    record: (run, payer, pipeline, found) =>
      drift.record(run, payer, pipeline, found),
  });
  const changes = new ChangeService({
    config,
    store: new ChangeStore(knex),
    work: changeWork({ minting, lifecycle, drift, runs, desiredState }),
    isMember: options.isMember ?? (async () => false),
    notices: notifier,
    logger,
    portalPath: '/account-minting',
  });
  return {
    runs,
    queue,
    logs,
    executor,
    minting,
    lifecycle,
    estate,
    drift,
    findings,
    changes,
  };
}
