import {
  Estate,
  EstateEnvironment,
  EstatePayer,
  EstateRegion,
} from '@regional-minting/plugin-account-minting-common';
import { openPayerSession, PayerGates } from '../aws/OrganizationSession';
import { AwsClients } from '../aws/AwsClients';
import { MintingConfig } from '../config/mintingConfig';
import {
  observeChangedRegions,
  observePayer,
  PayerObservation,
} from './observeEstate';
import { EngineTiming } from '../engine/stepContext';
import { DesiredState, RegionEntry } from '../regions/DesiredState';
import { RunRepository } from '../runs/RunRepository';
import { LastResults, readLastResults } from './lastResults';

/** What AWS had of one payer, or why it could not be read. */
type Observation = PayerObservation | { error: string };

/** An observation of every payer, and which finished steps it reflects. */
interface Snapshot {
  /** When its last whole read of AWS started. */
  at: number;
  /** How long that read took. */
  readMs: number;
  /** The newest finished step's time when it was made: steps finished later are not in it. */
  lastStepFinishedAt?: string;
  observations: Map<string, Observation>;
}

/**
 * The estate tree of `GET /estate`: each payer's platform OU, environments, region
 * OUs and accounts, joining what is desired with what AWS has.
 *
 * AWS is read whole once; then each request is answered from that snapshot at once,
 * after reading again only the region OUs of the steps finished since, on any backend
 * (so a finished run shows at once), and an older snapshot is read again in the
 * background while the current one is served. Desired regions and last results are
 * read from the database on every request (two queries).
 */
export class EstateView {
  private snapshot?: Snapshot;
  /** The whole read under way, which every request waiting for one joins. */
  private reading?: Promise<Snapshot>;
  /** The update of the snapshot to a newer finished step, which requests at once join. */
  private updating?: { lastStepFinishedAt?: string; done: Promise<Snapshot> };

  constructor(
    private readonly options: {
      config: MintingConfig;
      clients: AwsClients;
      gates: PayerGates;
      timing: EngineTiming;
      desiredState: DesiredState;
      runs: RunRepository;
      /** How old a snapshot may be before it is read again, in the background. */
      maxAgeMs: number;
    },
  ) {}

  /** The estate: from AWS at once with `refresh`, else from the snapshot brought up to the last finished step. */
  async get(options: { refresh?: boolean } = {}): Promise<Estate> {
    const lastStepFinishedAt = await this.options.runs.lastStepFinishedAt();
    let snapshot = this.snapshot;
    if (!snapshot || options.refresh) {
      snapshot = await this.readAll(lastStepFinishedAt, options.refresh);
    } else if (snapshot.lastStepFinishedAt !== lastStepFinishedAt) {
      snapshot = await this.update(snapshot, lastStepFinishedAt);
    }
    if (this.isOld(snapshot) && !this.reading) {
      // Served as it is; the next request gets the newer one.
      this.readAll(lastStepFinishedAt).catch(() => {});
    }
    return this.build(
      snapshot.observations,
      new Date(snapshot.at).toISOString(),
    );
  }

  /**
   * Older than maxAgeMs since its read ended, and than ten times that read's length: a large
   * estate, whose read takes long, spends at most a tenth of the time reading AWS again.
   */
  private isOld(snapshot: Snapshot): boolean {
    const age = Date.now() - (snapshot.at + snapshot.readMs);
    return age > Math.max(this.options.maxAgeMs, 10 * snapshot.readMs);
  }

  /** Reads AWS whole, joining a read under way unless `fresh`. */
  private readAll(
    lastStepFinishedAt: string | undefined,
    fresh = false,
  ): Promise<Snapshot> {
    if (this.reading && !fresh) return this.reading;
    const at = Date.now();
    const reading = this.observeAll().then(observations => {
      const snapshot = {
        at,
        readMs: Date.now() - at,
        lastStepFinishedAt,
        observations,
      };
      // A newer whole read (a refresh) wins over an older one that ends later.
      if (!this.snapshot || this.snapshot.at <= at) this.keep(snapshot);
      return snapshot;
    });
    this.reading = reading;
    const forget = () => {
      if (this.reading === reading) this.reading = undefined;
    };
    reading.then(forget, forget);
    return reading;
  }

  /** The snapshot with the region OUs of the steps finished since it was made read again. */
  private update(
    snapshot: Snapshot,
    lastStepFinishedAt: string | undefined,
  ): Promise<Snapshot> {
    const underWay = this.updating;
    if (underWay && underWay.lastStepFinishedAt === lastStepFinishedAt) {
      return underWay.done;
    }
    const done = (async () => {
      const regions = await this.options.runs.regionsChangedSince(
        snapshot.lastStepFinishedAt,
      );
      const changed = await this.changedByPayer(regions, snapshot);
      const observations = new Map(snapshot.observations);
      await Promise.all(
        [...changed].map(async ([payerName, payerRegions]) => {
          observations.set(
            payerName,
            await this.observe(
              payerName,
              observations.get(payerName),
              payerRegions,
            ),
          );
        }),
      );
      const updated = { ...snapshot, lastStepFinishedAt, observations };
      // Unless a whole read replaced the snapshot meanwhile.
      if (this.snapshot === snapshot) this.keep(updated);
      return updated;
    })();
    this.updating = { lastStepFinishedAt, done };
    const forget = () => {
      if (this.updating?.done === done) this.updating = undefined;
    };
    done.then(forget, forget);
    return done;
  }

  /** Keeps a snapshot, unless a payer could not be read: the next request reads it again. */
  private keep(snapshot: Snapshot) {
    const failed = [...snapshot.observations.values()].some(o => 'error' in o);
    this.snapshot = failed ? undefined : snapshot;
  }

  /** The changed regions by payer, each with its environment: from the desired state, else where the snapshot has it. */
  private async changedByPayer(
    regions: string[],
    snapshot: Snapshot,
  ): Promise<Map<string, { environment: string; name: string }[]>> {
    const desired = new Map(
      (await this.options.desiredState.list()).map(entry => [
        entry.desired.name,
        entry.desired,
      ]),
    );
    const byPayer = new Map<string, { environment: string; name: string }[]>();
    for (const name of regions) {
      const found =
        desired.get(name) ?? findObservedRegion(snapshot.observations, name);
      if (!found) continue;
      byPayer.set(found.payer, [
        ...(byPayer.get(found.payer) ?? []),
        { environment: found.environment, name },
      ]);
    }
    return byPayer;
  }

  private async observeAll(): Promise<Map<string, Observation>> {
    const { payers } = this.options.config;
    const observed = await Promise.all(payers.map(p => this.observe(p.name)));
    return new Map(payers.map((p, i) => [p.name, observed[i]]));
  }

  /** A payer read whole, or only its changed regions when it was read before. */
  private async observe(
    payerName: string,
    previous?: Observation,
    changed?: { environment: string; name: string }[],
  ): Promise<Observation> {
    const { config, clients, gates, timing } = this.options;
    const payer = config.payers.find(p => p.name === payerName)!;
    const options = {
      policies: (config.policies ?? []).map(p => p.name),
      closedOu: config.decommission.closedOu,
    };
    try {
      const session = await openPayerSession({
        clients,
        gates,
        payer,
        sessionName: 'estate-view',
        backoff: timing.backoff,
      });
      return previous && changed && !('error' in previous)
        ? await observeChangedRegions(
            session,
            previous,
            changed,
            config.platformOu,
            options,
          )
        : await observePayer(session, config.platformOu, options);
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

/** Where a region OU is in a snapshot, by its name: its payer and environment. */
function findObservedRegion(
  observations: Map<string, Observation>,
  name: string,
): { payer: string; environment: string } | undefined {
  for (const [payer, observed] of observations) {
    if ('error' in observed) continue;
    const env = observed.environments.find(e =>
      e.regions.some(r => r.name === name),
    );
    if (env) return { payer, environment: env.name };
  }
  return undefined;
}
