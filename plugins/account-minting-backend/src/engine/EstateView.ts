import {
  Estate,
  EstateEnvironment,
  EstatePayer,
  EstateRegion,
} from '@regional-minting/plugin-account-minting-common';
import { openPayerSession, PayerGates } from '../aws/OrganizationSession';
import { AwsClients } from '../aws/AwsClients';
import { MintingConfig } from '../config/mintingConfig';
import { observePayer, PayerObservation } from '../estate/observeEstate';
import { EngineTiming } from '../pipelines/types';
import { DesiredState, RegionEntry } from '../regions/DesiredState';
import { RunStore } from '../runs/RunStore';
import { LastResults, readLastResults } from './lastResults';

/**
 * The estate tree of `GET /estate`: each payer's platform OU, environments, region
 * OUs and accounts, joining what is desired with what AWS has.
 */
export class EstateView {
  private cached?: { at: number; estate: Promise<Estate> };

  constructor(
    private readonly options: {
      config: MintingConfig;
      clients: AwsClients;
      gates: PayerGates;
      timing: EngineTiming;
      desiredState: DesiredState;
      store: RunStore;
      /** How long an observation of AWS is served before it is read again. */
      maxAgeMs: number;
    },
  ) {}

  /** The estate, observed at most maxAgeMs ago unless `refresh`. */
  get(options: { refresh?: boolean } = {}): Promise<Estate> {
    const now = Date.now();
    if (
      !this.cached ||
      options.refresh ||
      now - this.cached.at > this.options.maxAgeMs
    ) {
      const estate = this.build();
      this.cached = { at: now, estate };
      // A failed observation is not kept: the next request tries again.
      estate.catch(() => (this.cached = undefined));
    }
    return this.cached.estate;
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
      return await observePayer(session, config.platformOu);
    } catch (error) {
      return {
        error: `could not read the ${payerName} organization: ${
          (error as Error).message
        }`,
      };
    }
  }

  private async build(): Promise<Estate> {
    const { config } = this.options;
    const [desired, last] = await Promise.all([
      this.options.desiredState.list(),
      readLastResults(this.options.store),
    ]);
    const observedAt = new Date().toISOString();
    const payers = await Promise.all(
      config.payers.map(async (payer): Promise<EstatePayer> => {
        const observed = await this.observe(payer.name);
        const environments = 'error' in observed ? [] : observed.environments;
        const envNames = new Set([
          ...config.environments
            .filter(e => e.payer === payer.name)
            .map(e => e.name),
          ...environments.map(e => e.name),
        ]);
        return {
          name: payer.name,
          accountId: payer.accountId,
          error: 'error' in observed ? observed.error : undefined,
          platformOu: {
            name: config.platformOu,
            id: 'error' in observed ? undefined : observed.platformOuId,
          },
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
            ),
          ),
        };
      }),
    );
    return { observedAt, platformOu: config.platformOu, payers };
  }
}

type ObservedEnvironment = PayerObservation['environments'][number];
type ObservedRegion = ObservedEnvironment['regions'][number];

function estateEnvironment(
  name: string,
  wanted: RegionEntry[],
  observed: ObservedEnvironment | undefined,
  last: LastResults,
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
    regions: [...regionNames].map(regionName =>
      estateRegion(
        regionName,
        wantedByName.get(regionName),
        observedByName.get(regionName),
        last,
      ),
    ),
  };
}

function estateRegion(
  name: string,
  entry: RegionEntry | undefined,
  observed: ObservedRegion | undefined,
  last: LastResults,
): EstateRegion {
  const accountNames = new Set([
    ...(entry?.desired.accounts ?? []).map(a => a.name),
    ...(observed?.accounts ?? []).map(a => a.name),
  ]);
  return {
    name,
    id: observed?.id,
    desired: Boolean(entry),
    observed: Boolean(observed),
    source: entry?.source,
    region: entry?.desired.region,
    owner: entry?.desired.owner,
    requestedBy: entry?.requestedBy,
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
