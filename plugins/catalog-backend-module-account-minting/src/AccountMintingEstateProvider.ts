import {
  AuthService,
  DiscoveryService,
  LoggerService,
  RootConfigService,
  SchedulerService,
} from '@backstage/backend-plugin-api';
import {
  EntityProvider,
  EntityProviderConnection,
} from '@backstage/plugin-catalog-node';
import { EventsService } from '@backstage/plugin-events-node';
import {
  AccountMintingApi,
  AccountMintingClient,
  Estate,
} from '@regional-minting/plugin-account-minting-common';
import { RUN_FINISHED_TOPIC } from '@regional-minting/plugin-account-minting-node';
import { readEstateCatalogConfig } from './catalogConfig';
import { estateEntities } from './estateEntities';

/** The provider's name, which the catalog keeps with every entity it published. */
export const ESTATE_PROVIDER_NAME = 'account-minting-estate';

/** The id of the scheduled refresh, global to the catalog's backends. */
export const ESTATE_REFRESH_TASK_ID = 'account-minting-estate-refresh';

/** The events subscriber id, scoped to the catalog plugin. */
export const ESTATE_EVENTS_SUBSCRIBER_ID = 'account-minting-estate';

export interface AccountMintingEstateProviderOptions {
  /** Reads the estate: the account-minting REST API. */
  client: Pick<AccountMintingApi, 'getEstate'>;
  /** Signs the requests to the account-minting backend as the catalog. */
  auth: AuthService;
  logger: LoggerService;
  /** The owner of a region's entities when it has no owner and its requester is not a user or group entity ref. */
  defaultOwner: string;
  /** The portal's base URL, for the entities' links. */
  appBaseUrl?: string;
  /** Refreshes every refreshMinutes when given, in one backend of the catalog's at a time. */
  scheduler?: SchedulerService;
  refreshMinutes?: number;
  /** Refreshes after each run and drift check, on `account-minting.run-finished` events, when given. */
  events?: EventsService;
}

/**
 * Publishes the desired estate to the catalog: a System per region and a Resource of
 * type aws-account per account (see estateEntities). Each refresh is a full mutation, so
 * the entities of regions and accounts that left the desired state are removed.
 */
export class AccountMintingEstateProvider implements EntityProvider {
  private connection?: EntityProviderConnection;
  private running?: Promise<void>;
  private queued?: Promise<void>;
  /** The account ids last seen, by payer and account, for payers the estate could not read this time. */
  private readonly knownIds = new Map<string, string>();

  constructor(private readonly options: AccountMintingEstateProviderOptions) {}

  /** A provider reading the estate from the account-minting backend that discovery finds. */
  static fromConfig(
    config: RootConfigService,
    deps: {
      discovery: DiscoveryService;
      auth: AuthService;
      logger: LoggerService;
      scheduler?: SchedulerService;
      events?: EventsService;
    },
  ): AccountMintingEstateProvider {
    const catalogConfig = readEstateCatalogConfig(config);
    return new AccountMintingEstateProvider({
      client: new AccountMintingClient({ discoveryApi: deps.discovery }),
      auth: deps.auth,
      logger: deps.logger,
      scheduler: deps.scheduler,
      events: deps.events,
      defaultOwner: catalogConfig.owner,
      refreshMinutes: catalogConfig.refreshMinutes,
      appBaseUrl: config.getOptionalString('app.baseUrl'),
    });
  }

  getProviderName(): string {
    return ESTATE_PROVIDER_NAME;
  }

  async connect(connection: EntityProviderConnection): Promise<void> {
    this.connection = connection;
    const { scheduler, events, refreshMinutes = 10 } = this.options;
    if (scheduler) {
      await scheduler.scheduleTask({
        id: ESTATE_REFRESH_TASK_ID,
        scope: 'global',
        frequency: { minutes: refreshMinutes },
        timeout: { minutes: Math.max(5, refreshMinutes) },
        // Soon after start, without holding the catalog's start up.
        initialDelay: { seconds: 15 },
        fn: () => this.refresh(),
      });
    }
    if (events) {
      await events.subscribe({
        id: ESTATE_EVENTS_SUBSCRIBER_ID,
        topics: [RUN_FINISHED_TOPIC],
        // Not awaited: the publisher does not wait for the catalog.
        onEvent: async () => {
          this.refresh().catch(() => {
            // publish logged why
          });
        },
      });
    }
  }

  /**
   * Reads the estate and publishes it. At most one refresh runs at a time: a call while
   * one runs queues one more (which reads the estate afresh), and calls while one is
   * queued join it.
   */
  refresh(): Promise<void> {
    if (!this.running) {
      this.running = this.publish().finally(() => {
        this.running = undefined;
      });
      return this.running;
    }
    if (!this.queued) {
      this.queued = this.running
        .catch(() => {})
        .then(() => {
          this.queued = undefined;
          return this.refresh();
        });
    }
    return this.queued;
  }

  private async publish(): Promise<void> {
    const { connection } = this;
    if (!connection) {
      throw new Error(
        `${ESTATE_PROVIDER_NAME} is not connected to the catalog`,
      );
    }
    const { auth, client, logger } = this.options;
    let estate: Estate;
    try {
      const { token } = await auth.getPluginRequestToken({
        onBehalfOf: await auth.getOwnServiceCredentials(),
        targetPluginId: 'account-minting',
      });
      estate = this.withKnownIds(await client.getEstate({}, { token }));
    } catch (error) {
      // The catalog keeps what it has until the estate can be read again.
      logger.warn(`could not read the account-minting estate: ${error}`);
      throw error;
    }
    const { entities, skipped } = estateEntities(estate, {
      defaultOwner: this.options.defaultOwner,
      appBaseUrl: this.options.appBaseUrl,
    });
    skipped.forEach(reason => logger.warn(`not published: ${reason}`));
    try {
      await connection.applyMutation({
        type: 'full',
        entities: entities.map(entity => ({
          entity,
          locationKey: ESTATE_PROVIDER_NAME,
        })),
      });
    } catch (error) {
      logger.warn(`could not publish the estate to the catalog: ${error}`);
      throw error;
    }
    const systems = entities.filter(e => e.kind === 'System').length;
    const count = (n: number, what: string) =>
      `${n} ${what}${n === 1 ? '' : 's'}`;
    logger.info(
      `published ${count(systems, 'region')} and ${count(
        entities.length - systems,
        'account',
      )} of the estate`,
    );
  }

  /**
   * The estate, with the account ids last seen for the payers it could not read (whose
   * desired accounts it lists without ids), so that their entities keep them.
   */
  private withKnownIds(estate: Estate): Estate {
    const key = (payer: string, account: string) => `${payer}/${account}`;
    const payers = estate.payers.map(payer => {
      if (!payer.error) {
        for (const environment of payer.environments) {
          for (const region of environment.regions) {
            for (const account of region.accounts) {
              if (account.id) {
                this.knownIds.set(key(payer.name, account.name), account.id);
              }
            }
          }
        }
        return payer;
      }
      return {
        ...payer,
        environments: payer.environments.map(environment => ({
          ...environment,
          regions: environment.regions.map(region => ({
            ...region,
            accounts: region.accounts.map(account => ({
              ...account,
              id:
                account.id ?? this.knownIds.get(key(payer.name, account.name)),
            })),
          })),
        })),
      };
    });
    return { ...estate, payers };
  }
}
