import { ConflictError } from '@backstage/errors';
import { ValidRegionRequest } from '@regional-minting/plugin-account-minting-common';
import { randomUUID } from 'node:crypto';
import { Knex } from 'knex';
import { AcceptedAccount } from '../estate/desired';

/** A region requested through the portal, the API or the scaffolder. */
export interface RequestedRegion {
  id: string;
  environment: string;
  region: string;
  owner?: string;
  regionOu: string;
  accountCounts: Record<string, number>;
  /** The payer the region was accepted into; absent on requests older than this column. */
  payer?: string;
  /** The accounts as accepted; absent on requests older than this column. */
  accounts?: AcceptedAccount[];
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
  payer: string | null;
  accounts: string | null;
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
  payer: row.payer ?? undefined,
  accounts: row.accounts ? JSON.parse(row.accounts) : undefined,
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

  async get(
    regionOu: string,
    db: Knex = this.knex,
  ): Promise<RequestedRegion | undefined> {
    const row = await db<Row>('requested_regions')
      .where({ region_ou: regionOu })
      .first();
    return row ? toRecord(row) : undefined;
  }

  /**
   * Records a request with what it resolved to. Asking again for the same region
   * returns the first request; asking for it with other account counts is a
   * conflict, not a silent change. Pass the transaction that validated the request,
   * so that nothing is kept of a request that is refused later in it.
   */
  async request(
    valid: ValidRegionRequest,
    accounts: AcceptedAccount[],
    requestedBy: string,
    db: Knex = this.knex,
  ): Promise<RequestedRegion> {
    // Two identical requests at once: the unique region OU lets one in; the other reads it.
    await db('requested_regions')
      .insert({
        id: randomUUID(),
        environment: valid.environment,
        region: valid.region,
        owner: valid.owner ?? null,
        region_ou: valid.regionOu,
        account_counts: JSON.stringify(valid.accountCounts),
        payer: valid.payer,
        accounts: JSON.stringify(accounts),
        requested_by: requestedBy,
        requested_at: new Date(),
      })
      .onConflict('region_ou')
      .ignore();
    const stored = (await this.get(valid.regionOu, db))!;
    if (!sameCounts(stored.accountCounts, valid.accountCounts)) {
      throw new ConflictError(
        `region ${
          valid.regionOu
        } was requested already with accounts ${JSON.stringify(
          stored.accountCounts,
        )}`,
      );
    }
    return stored;
  }

  /** Keeps what an older request resolves to, the first time it is read. */
  async resolve(
    regionOu: string,
    payer: string,
    accounts: AcceptedAccount[],
  ): Promise<void> {
    await this.knex('requested_regions')
      .where({ region_ou: regionOu })
      .whereNull('accounts')
      .update({ payer, accounts: JSON.stringify(accounts) });
  }
}
