import { ConflictError, NotFoundError } from '@backstage/errors';
import {
  MintingConfigView,
  RegionStatus,
  parseRegionRequest,
  validateRegionRequest,
} from '@regional-minting/plugin-account-minting-common';
import { configView, MintingConfig } from '../config/mintingConfig';
import {
  acceptedAccounts,
  DesiredRegion,
  desiredRegion,
  regionWithAccounts,
} from '../estate/desired';
import { RegionStore, RequestedRegion } from './RegionStore';

/** A region of the desired state, with where it comes from. */
export interface RegionEntry {
  desired: DesiredRegion;
  /** Declared in configuration (reviewed in git), or requested through the API. */
  source: 'config' | 'request';
  requestedBy?: string;
  requestedAt?: string;
  /**
   * Why an accepted request no longer fits the configuration. Such a region is
   * shown with this reason and never minted, until the configuration fits it again.
   */
  problem?: string;
  /** A requested region's stage of life; a declared one is always active. */
  status: RegionStatus;
  decommissionedBy?: string;
  decommissionedAt?: string;
}

/**
 * The desired estate: regions declared in configuration and regions requested
 * through the API. A region declared in configuration wins over a request of it.
 * Requests are read as they were accepted; one that the configuration no longer
 * allows is marked with the reason, and the others are untouched by it.
 */
export class DesiredState {
  private readonly declared: RegionEntry[];
  private readonly view: MintingConfigView;

  constructor(
    private readonly config: MintingConfig,
    private readonly regions: RegionStore,
  ) {
    this.view = configView(config);
    // Declared regions were validated with the configuration at start.
    this.declared = config.regions.map(r => ({
      desired: desiredRegion(config, parseRegionRequest(r, this.view)),
      source: 'config',
      status: 'active',
    }));
  }

  /** The regions of the desired state: declared, and requested ones not decommissioned. */
  async list(): Promise<RegionEntry[]> {
    return (await this.listAll()).filter(r => r.status === 'active');
  }

  /** Every region, decommissioning and decommissioned ones too, as the API lists them. */
  async listAll(): Promise<RegionEntry[]> {
    const names = new Set(this.declared.map(r => r.desired.name));
    const requested = (await this.regions.list()).filter(
      r => !names.has(r.regionOu),
    );
    return [...this.declared, ...requested.map(r => this.entryOf(r))];
  }

  /** A region declared in configuration, which wins over any request of it. */
  declaredEntry(name: string): RegionEntry | undefined {
    return this.declared.find(r => r.desired.name === name);
  }

  /** @throws NotFoundError for a region neither declared nor requested. */
  async get(name: string): Promise<RegionEntry> {
    const declared = this.declaredEntry(name);
    if (declared) return declared;
    const requested = await this.regions.get(name);
    if (!requested)
      throw new NotFoundError(
        `region ${name} is neither declared in configuration nor requested`,
      );
    return this.entryOf(requested);
  }

  /**
   * A region that the engine may act on.
   * @throws NotFoundError for a region neither declared nor requested
   * @throws ConflictError for a request that no longer fits the configuration
   */
  async getActionable(name: string): Promise<RegionEntry> {
    return actionable(await this.get(name));
  }

  /**
   * Keeps what requests accepted before requests kept their accounts resolve to,
   * once, at start. One that no longer fits stays unresolved and is shown as such.
   */
  async resolveEarlierRequests(): Promise<void> {
    for (const requested of await this.regions.list()) {
      if (requested.accounts) continue;
      const checked = this.check(requested);
      if (checked.ok) {
        await this.regions.resolve(
          requested.regionOu,
          checked.value.payer,
          acceptedAccounts(this.config, checked.value),
        );
      }
    }
  }

  /**
   * The accounts on their way out, by region OU: every account of a region being (or
   * once) decommissioned, and the accounts retired from a region that stays. Until
   * their decommission moves them out of their region OU they are not strays.
   */
  async retiringEmails(): Promise<Map<string, Set<string>>> {
    const retiring = new Map<string, Set<string>>();
    for (const region of await this.regions.list()) {
      const leaving = (region.accounts ?? []).filter(
        a => region.status !== 'active' || a.retired,
      );
      if (leaving.length > 0)
        retiring.set(
          region.regionOu,
          new Set(leaving.map(a => a.email.toLowerCase())),
        );
    }
    return retiring;
  }

  /**
   * A requested region with every account it was ever accepted with, retired ones
   * included: what a decommission run acts on.
   * @throws NotFoundError for a region that was never requested
   */
  async withRetiredAccounts(name: string): Promise<RegionEntry> {
    const requested = await this.regions.get(name);
    if (!requested)
      throw new NotFoundError(`region ${name} was never requested`);
    const entry = this.entryOf(requested);
    return {
      ...entry,
      desired: regionWithAccounts(
        this.config,
        { ...entry.desired, regionOu: entry.desired.name },
        requested.accounts ?? [],
      ),
    };
  }

  /** The entry of a request, as accepted and checked against the configuration now. */
  entryOf(requested: RequestedRegion): RegionEntry {
    const checked = this.check(requested);
    const identity = {
      environment: requested.environment,
      region: requested.region,
      owner: requested.owner,
      regionOu: requested.regionOu,
      // A request older than kept payers, and stale since: its environment's payer, if it has one still.
      payer:
        requested.payer ??
        this.config.environments.find(e => e.name === requested.environment)
          ?.payer ??
        '',
    };
    return {
      source: 'request',
      requestedBy: requested.requestedBy,
      requestedAt: requested.requestedAt,
      desired: regionWithAccounts(
        this.config,
        identity,
        (requested.accounts ?? []).filter(a => !a.retired),
      ),
      status: requested.status,
      decommissionedBy: requested.decommissionedBy,
      decommissionedAt: requested.decommissionedAt,
      problem: checked.ok
        ? mismatch(identity, checked.value)
        : Object.values(checked.errors).join('; '),
    };
  }

  /** The request checked by the rules a new request meets. */
  private check(requested: RequestedRegion) {
    return validateRegionRequest(
      {
        environment: requested.environment,
        region: requested.region,
        owner: requested.owner,
        accountRoles: requested.accountCounts,
      },
      this.view,
    );
  }
}

/** What changed in the configuration so that an accepted region would not be accepted as it is. */
function mismatch(
  accepted: { regionOu: string; payer: string; environment: string },
  now: { regionOu: string; payer: string },
): string | undefined {
  if (now.regionOu !== accepted.regionOu) {
    return `the environment's region OU pattern now names this region ${now.regionOu}`;
  }
  if (now.payer !== accepted.payer) {
    return `environment ${accepted.environment} is now served by payer ${now.payer}, not ${accepted.payer} where the region was accepted`;
  }
  return undefined;
}

/** @throws ConflictError for a region that is decommissioned, or no longer fits the configuration */
export function actionable(entry: RegionEntry): RegionEntry {
  if (entry.status !== 'active') {
    throw new ConflictError(
      `region ${entry.desired.name} is ${entry.status}${
        entry.decommissionedBy ? ` by ${entry.decommissionedBy}` : ''
      }: no run acts on it`,
    );
  }
  if (entry.problem) {
    throw new ConflictError(
      `region ${entry.desired.name} no longer fits the configuration (${entry.problem}); nothing is done to it until it does`,
    );
  }
  return entry;
}
