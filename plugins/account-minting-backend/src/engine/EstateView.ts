import {
  Estate,
  EstateLastRun,
} from '@regional-minting/plugin-account-minting-common';
import { openPayerSession, PayerGates } from '../aws/OrganizationSession';
import { AwsClients } from '../aws/AwsClients';
import { MintingConfig } from '../config/mintingConfig';
import { observePayer, PayerObservation } from '../estate/observeEstate';
import { EngineTiming } from '../pipelines/types';
import { DesiredState, RegionEntry } from '../regions/DesiredState';
import { RunStore } from '../runs/RunStore';

type LastRun = EstateLastRun;

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

  private async lastRuns(
    entry: RegionEntry,
  ): Promise<{ region?: LastRun; accounts: Record<string, LastRun> }> {
    const [run] = await this.options.store.listRuns({
      region: entry.desired.name,
      limit: 1,
    });
    if (!run) return { accounts: {} };
    const steps = await this.options.store.getSteps(run.id);
    const accounts = Object.fromEntries(
      steps
        .filter(s => s.target.account)
        .map(s => [
          s.target.account!,
          { runId: run.id, status: s.status, finishedAt: s.finishedAt },
        ]),
    );
    return {
      region: { runId: run.id, status: run.status, finishedAt: run.finishedAt },
      accounts,
    };
  }

  private async build(): Promise<Estate> {
    const { config } = this.options;
    const desired = await this.options.desiredState.list();
    const observedAt = new Date().toISOString();
    const payers = await Promise.all(
      config.payers.map(async payer => {
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
          environments: await Promise.all(
            [...envNames].map(async envName => {
              const envObserved = environments.find(e => e.name === envName);
              const wanted = desired.filter(
                r =>
                  r.desired.environment === envName &&
                  r.desired.payer === payer.name,
              );
              const regionNames = new Set([
                ...wanted.map(r => r.desired.name),
                ...(envObserved?.regions ?? []).map(r => r.name),
              ]);
              return {
                name: envName,
                id: envObserved?.id,
                regions: await Promise.all(
                  [...regionNames].map(async regionName => {
                    const entry = wanted.find(
                      r => r.desired.name === regionName,
                    );
                    const regionObserved = envObserved?.regions.find(
                      r => r.name === regionName,
                    );
                    const runs = entry
                      ? await this.lastRuns(entry)
                      : { accounts: {} as Record<string, LastRun> };
                    const accountNames = new Set([
                      ...(entry?.desired.accounts ?? []).map(a => a.name),
                      ...(regionObserved?.accounts ?? []).map(a => a.name),
                    ]);
                    return {
                      name: regionName,
                      id: regionObserved?.id,
                      desired: Boolean(entry),
                      observed: Boolean(regionObserved),
                      source: entry?.source,
                      region: entry?.desired.region,
                      owner: entry?.desired.owner,
                      requestedBy: entry?.requestedBy,
                      lastRun: runs.region,
                      accounts: [...accountNames].map(accountName => {
                        const want = entry?.desired.accounts.find(
                          a => a.name === accountName,
                        );
                        const have = regionObserved?.accounts.find(
                          a => a.name === accountName,
                        );
                        return {
                          name: accountName,
                          id: have?.id,
                          email: have?.email ?? want?.email,
                          status: have?.status,
                          role: want?.role,
                          tags: have?.tags ?? {},
                          desired: Boolean(want),
                          observed: Boolean(have),
                          lastRuns: runs.accounts[accountName]
                            ? { mint: runs.accounts[accountName] }
                            : {},
                        };
                      }),
                    };
                  }),
                ),
              };
            }),
          ),
        };
      }),
    );
    return { observedAt, platformOu: config.platformOu, payers };
  }
}
