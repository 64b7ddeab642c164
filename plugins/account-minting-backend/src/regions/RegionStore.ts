import { ConflictError } from '@backstage/errors';
import { ValidRegionRequest } from '@regional-minting/plugin-account-minting-common';
import { randomUUID } from 'node:crypto';
import { Knex } from 'knex';

/** A region requested through the portal, the API or the scaffolder. */
export interface RequestedRegion {
  id: string;
  environment: string;
  region: string;
  owner?: string;
  regionOu: string;
  accountCounts: Record<string, number>;
  requestedBy: string;
  requestedAt: string;
}

interface Row {
  id: string;
  environment: string;
  region: string;
  owner: string | null;
  region_ou: string;
  account_counts: string;
  requested_by: string;
  requested_at: string | Date;
}

const toRecord = (row: Row): RequestedRegion => ({
  id: row.id,
  environment: row.environment,
  region: row.region,
  owner: row.owner ?? undefined,
  regionOu: row.region_ou,
  accountCounts: JSON.parse(row.account_counts),
  requestedBy: row.requested_by,
  requestedAt: new Date(row.requested_at).toISOString(),
});

const sameCounts = (a: Record<string, number>, b: Record<string, number>) =>
  Object.keys({ ...a, ...b }).every(k => (a[k] ?? 0) === (b[k] ?? 0));

/** The requested part of the desired state, with who asked and when. */
export class RegionStore {
  constructor(private readonly knex: Knex) {}

  async list(): Promise<RequestedRegion[]> {
    const rows = await this.knex<Row>('requested_regions').orderBy(
      'requested_at',
      'asc',
    );
    return rows.map(toRecord);
  }

  async get(regionOu: string): Promise<RequestedRegion | undefined> {
    const row = await this.knex<Row>('requested_regions')
      .where({ region_ou: regionOu })
      .first();
    return row ? toRecord(row) : undefined;
  }

  /**
   * Records a request. Asking again for the same region returns the first request;
   * asking for it with other account counts is a conflict, not a silent change.
   */
  async request(
    valid: ValidRegionRequest,
    requestedBy: string,
  ): Promise<{ region: RequestedRegion; created: boolean }> {
    const existing = await this.get(valid.regionOu);
    if (existing) {
      if (!sameCounts(existing.accountCounts, valid.accountCounts)) {
        throw new ConflictError(
          `region ${
            valid.regionOu
          } was requested already with accounts ${JSON.stringify(
            existing.accountCounts,
          )}`,
        );
      }
      return { region: existing, created: false };
    }
    const row = {
      id: randomUUID(),
      environment: valid.environment,
      region: valid.region,
      owner: valid.owner ?? null,
      region_ou: valid.regionOu,
      account_counts: JSON.stringify(valid.accountCounts),
      requested_by: requestedBy,
      requested_at: new Date(),
    };
    try {
      await this.knex('requested_regions').insert(row);
    } catch (error) {
      // Two identical requests at once: the unique region OU lets one in; the other returns it.
      const raced = await this.get(valid.regionOu);
      if (raced) return this.request(valid, requestedBy);
      throw error;
    }
    return { region: (await this.get(valid.regionOu))!, created: true };
  }
}
