import { NotFoundError } from '@backstage/errors';
import { parseRegionRequest } from '@regional-minting/plugin-account-minting-common';
import { configView, MintingConfig } from '../config/mintingConfig';
import { DesiredRegion, desiredRegion } from '../estate/desired';
import { RegionStore } from './RegionStore';

/** A region of the desired state, with where it comes from. */
export interface RegionEntry {
  desired: DesiredRegion;
  /** Declared in configuration (reviewed in git), or requested through the API. */
  source: 'config' | 'request';
  requestedBy?: string;
  requestedAt?: string;
}

/**
 * The desired estate: regions declared in configuration and regions requested
 * through the API. A region declared in configuration wins over a request of it.
 */
export class DesiredState {
  constructor(
    private readonly config: MintingConfig,
    private readonly regions: RegionStore,
  ) {}

  async list(): Promise<RegionEntry[]> {
    const view = configView(this.config);
    const declared: RegionEntry[] = this.config.regions.map(r => ({
      desired: desiredRegion(this.config, parseRegionRequest(r, view)),
      source: 'config',
    }));
    const names = new Set(declared.map(r => r.desired.name));
    const requested: RegionEntry[] = (await this.regions.list())
      .filter(r => !names.has(r.regionOu))
      .map(r => ({
        desired: desiredRegion(
          this.config,
          parseRegionRequest(
            {
              environment: r.environment,
              region: r.region,
              owner: r.owner,
              accountRoles: r.accountCounts,
            },
            view,
          ),
        ),
        source: 'request',
        requestedBy: r.requestedBy,
        requestedAt: r.requestedAt,
      }));
    return [...declared, ...requested];
  }

  /** @throws NotFoundError for a region neither declared nor requested. */
  async get(name: string): Promise<RegionEntry> {
    const entry = (await this.list()).find(r => r.desired.name === name);
    if (!entry)
      throw new NotFoundError(
        `region ${name} is neither declared in configuration nor requested`,
      );
    return entry;
  }
}
