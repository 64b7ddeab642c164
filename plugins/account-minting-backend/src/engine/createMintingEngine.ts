import { LoggerService } from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import { ProvisionerRegistry } from '@regional-minting/plugin-account-minting-node';
import { Knex } from 'knex';
import { AwsClients } from '../aws/AwsClients';
import { PayerGates } from '../aws/OrganizationSession';
import { MintingConfig } from '../config/mintingConfig';
import { stepHandlers } from '../pipelines';
import { EngineTiming } from '../pipelines/types';
import { DesiredState } from '../regions/DesiredState';
import { RegionStore } from '../regions/RegionStore';
import { RunStore } from '../runs/RunStore';
import { EstateView } from './EstateView';
import { MintingService } from './MintingService';
import { RunExecutor } from './RunExecutor';

// The estate tree is read from AWS at most this often, unless a caller asks for a refresh.
const ESTATE_MAX_AGE_MS = 30_000;
// AWS allows about five account creations in progress per organization.
const CREATIONS_PER_ORGANIZATION = 5;

/** The engine of one backend: its stores, AWS clients, executor and the service the API calls. */
export async function createMintingEngine(options: {
  config: MintingConfig;
  rootConfig: Config;
  knex: Knex;
  logger: LoggerService;
  provisioners: ProvisionerRegistry;
}) {
  const { config, knex, logger } = options;
  const { engine } = config;
  const timing: EngineTiming = {
    pollMinMs: engine.creationPollMs.min,
    pollMaxMs: engine.creationPollMs.max,
    backoff: engine.retries,
  };
  const store = new RunStore({ knex });
  const regions = new RegionStore(knex);
  const desiredState = new DesiredState(config, regions);
  const clients = await AwsClients.fromConfig(options.rootConfig, config);
  const gates = new PayerGates({
    callConcurrency: engine.callsPerPayer,
    creationSlots: CREATIONS_PER_ORGANIZATION,
  });
  const executor = new RunExecutor({
    store,
    desiredState,
    handlers: stepHandlers,
    config,
    clients,
    gates,
    timing,
    logger,
    concurrency: engine.concurrency,
    leaseMs: engine.leaseSeconds * 1000,
    pollIntervalMs: engine.pollIntervalMs,
    maxAttempts: engine.maxStepAttempts,
    provisioners: options.provisioners,
    maxConcurrentProvisioning: config.provision?.maxConcurrentSteps ?? 10,
  });
  const minting = new MintingService({
    config,
    store,
    regions,
    desiredState,
    clients,
    gates,
    timing,
    executor,
  });
  const estate = new EstateView({
    config,
    clients,
    gates,
    timing,
    desiredState,
    store,
    maxAgeMs: ESTATE_MAX_AGE_MS,
  });
  return { store, executor, minting, estate };
}
