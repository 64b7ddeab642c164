import {
  Estate,
  EstateEnvironment,
  EstatePayer,
  EstateRegion,
} from '@regional-minting/plugin-account-minting-common';
import { openPayerSession, PayerGates } from '../aws/OrganizationSession';
import { AwsClients } from '../aws/AwsClients';
import { MintingConfig } from '../config/mintingConfig';
import { observePayer, PayerObservation } from './observeEstate';
import { EngineTiming } from '../engine/stepContext';
import { DesiredState, RegionEntry } from '../regions/DesiredState';
import { RunRepository } from '../runs/RunRepository';
import { LastResults, readLastResults } from './lastResults';

/**
 * The estate tree of `GET /estate`: each payer's platform OU, environments, region
 * OUs and accounts, joining what is desired with what AWS has.
 */
type Observation = PayerObservation | { error: string };

export class EstateView {
  /**
   * What AWS had, by payer. Desired regions and last results are read afresh on every
   * request (two queries); AWS is read again once the cache is old or a step finished
   * since, on any backend, so a finished run shows at once.
   */
  private cached?: {
    at: number;
    lastStepFinishedAt?: string;
    observations: Promise<Map<string, Observation>>;
  };

  constructor(
    private readonly options: {
      config: MintingConfig;
      clients: AwsClients;
      gates: PayerGates;
      timing: EngineTiming;
      desiredState: DesiredState;
      runs: RunRepository;
      /** How long an observation of AWS is served before it is read again. */
      maxAgeMs: number;
    },
  ) {}

  /** The estate, observed at most maxAgeMs ago and after the last finished step, unless `refresh`. */
  async get(options: { refresh?: boolean } = {}): Promise<Estate> {
    const now = Date.now();
    const lastStepFinishedAt = await this.options.runs.lastStepFinishedAt();
    if (
      !this.cached ||
      options.refresh ||
      now - this.cached.at > this.options.maxAgeMs ||
      this.cached.lastStepFinishedAt !== lastStepFinishedAt
    ) {
      const observations = this.observeAll();
      this.cached = { at: now, lastStepFinishedAt, observations };
      // A payer that could not be read is read again by the next request, unless a newer read replaced this one.
      observations.then(read => {
        const failed = [...read.values()].some(o => 'error' in o);
        if (failed && this.cached?.observations === observations) {
          this.cached = undefined;
        }
      });
    }
    const observedAt = new Date(this.cached.at).toISOString();
    return this.build(await this.cached.observations, observedAt);
  }

  private async observeAll(): Promise<Map<string, Observation>> {
    const { payers } = this.options.config;
    const observed = await Promise.all(payers.map(p => this.observe(p.name)));
    const observations = new Map(payers.map((p, i) => [p.name, observed[i]]));
    return observations;
  }

  private async observe(
    payerName: string,
  ): Promise<PayerObservation | { error: string }> {
    const { config, clients, gates, timing } = this.options;
    const payer = config.payers.find(p => p.name === payerName)!;
    try {
      const session = await openPayerSession({
        clients,
        gates,
        payer,
        sessionName: 'estate-view',
        backoff: timing.backoff,
      });
      return await observePayer(session, config.platformOu, {
        policies: (config.policies ?? []).map(p => p.name),
        closedOu: config.decommission.closedOu,
      });
    } catch (error) {
      return {
        error: `could not read the ${payerName} organization: ${
          (error as Error).message
        }`,
      };
    }
  }

  private async build(
    observations: Map<string, Observation>,
    observedAt: string,
  ): Promise<Estate> {
    const { config } = this.options;
    const [desired, last] = await Promise.all([
      this.options.desiredState.list(),
      readLastResults(this.options.runs),
    ]);
    const payers = config.payers.map((payer): EstatePayer => {
      const observed = observations.get(payer.name)!;
      const environments = 'error' in observed ? [] : observed.environments;
      const policiesOf = (id: string | undefined) =>
        ('error' in observed || !id ? undefined : observed.policies[id]) ?? [];
      const envNames = new Set([
        ...config.environments
          .filter(e => e.payer === payer.name)
          .map(e => e.name),
        // An environment since removed from the configuration, with regions requested in it.
        ...desired
          .filter(r => r.desired.payer === payer.name)
          .map(r => r.desired.environment),
        ...environments.map(e => e.name),
      ]);
      return {
        name: payer.name,
        accountId: payer.accountId,
        error: 'error' in observed ? observed.error : undefined,
        platformOu: {
          name: config.platformOu,
          id: 'error' in observed ? undefined : observed.platformOuId,
          policies: policiesOf(
            'error' in observed ? undefined : observed.platformOuId,
          ),
        },
        ...('error' in observed || !observed.closedOu
          ? {}
          : {
              closedOu: {
                name: config.decommission.closedOu,
                id: observed.closedOu.id,
                accounts: observed.closedOu.accounts.map(a => ({
                  ...a,
                  desired: false,
                  observed: true,
                  lastRuns: {},
                })),
              },
            }),
        environments: [...envNames].map(envName =>
          estateEnvironment(
            envName,
            desired.filter(
              r =>
                r.desired.environment === envName &&
                r.desired.payer === payer.name,
            ),
            environments.find(e => e.name === envName),
            last,
            policiesOf,
          ),
        ),
      };
    });
    return { observedAt, platformOu: config.platformOu, payers };
  }
}

type ObservedEnvironment = PayerObservation['environments'][number];
type ObservedRegion = ObservedEnvironment['regions'][number];

/** The declared SCPs attached to an OU, by its id. */
type PoliciesOf = (ouId: string | undefined) => string[];

function estateEnvironment(
  name: string,
  wanted: RegionEntry[],
  observed: ObservedEnvironment | undefined,
  last: LastResults,
  policiesOf: PoliciesOf,
): EstateEnvironment {
  const wantedByName = new Map(wanted.map(r => [r.desired.name, r]));
  const observedByName = new Map(
    (observed?.regions ?? []).map(r => [r.name, r]),
  );
  const regionNames = new Set([
    ...wantedByName.keys(),
    ...observedByName.keys(),
  ]);
  return {
    name,
    id: observed?.id,
    policies: policiesOf(observed?.id),
    regions: [...regionNames].map(regionName =>
      estateRegion(
        regionName,
        wantedByName.get(regionName),
        observedByName.get(regionName),
        last,
        policiesOf,
      ),
    ),
  };
}

function estateRegion(
  name: string,
  entry: RegionEntry | undefined,
  observed: ObservedRegion | undefined,
  last: LastResults,
  policiesOf: PoliciesOf,
): EstateRegion {
  const accountNames = new Set([
    ...(entry?.desired.accounts ?? []).map(a => a.name),
    ...(observed?.accounts ?? []).map(a => a.name),
  ]);
  return {
    name,
    id: observed?.id,
    policies: policiesOf(observed?.id),
    desired: Boolean(entry),
    observed: Boolean(observed),
    source: entry?.source,
    region: entry?.desired.region,
    owner: entry?.desired.owner,
    requestedBy: entry?.requestedBy,
    problem: entry?.problem,
    lastRun: last.region(name),
    accounts: [...accountNames].map(accountName => {
      const want = entry?.desired.accounts.find(a => a.name === accountName);
      const have = observed?.accounts.find(a => a.name === accountName);
      return {
        name: accountName,
        id: have?.id,
        email: have?.email ?? want?.email,
        status: have?.status,
        role: want?.role,
        tags: have?.tags ?? {},
        desired: Boolean(want),
        observed: Boolean(have),
        lastRuns: last.account(name, accountName),
      };
    }),
  };
}
