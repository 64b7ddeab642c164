import { ConflictError } from '@backstage/errors';
import {
  RegionStatus,
  ValidRegionRequest,
} from '@regional-minting/plugin-account-minting-common';
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
  /** Decommissioning and decommissioned regions are kept for the audit trail, out of the desired state. */
  status: RegionStatus;
  decommissionedBy?: string;
  decommissionedAt?: string;
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
  status: RegionStatus;
  decommissioned_by: string | null;
  decommissioned_at: string | Date | null;
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
  status: row.status,
  decommissionedBy: row.decommissioned_by ?? undefined,
  decommissionedAt: row.decommissioned_at
    ? new Date(row.decommissioned_at).toISOString()
    : undefined,
});

/** Accounts per role among the accounts a region still has. */
export function countsOf(accounts: AcceptedAccount[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const account of accounts.filter(a => !a.retired)) {
    counts[account.role] = (counts[account.role] ?? 0) + 1;
  }
  return counts;
}

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
    if (stored.status !== 'active') {
      throw new ConflictError(
        `region ${valid.regionOu} was decommissioned by ${stored.decommissionedBy}; its name is not used again`,
      );
    }
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

  /**
   * Changes a region's accounts (scaled, retired, adopted) and its counts with them, in
   * the caller's transaction: `change` gets the accounts as stored and returns them as
   * they are to be.
   * @throws ConflictError for a region that is not active
   */
  async updateAccounts(
    regionOu: string,
    change: (accounts: AcceptedAccount[]) => AcceptedAccount[],
    db: Knex,
  ): Promise<RequestedRegion> {
    // Locked: two changes of one region at once apply one after the other.
    const row = await db<Row>('requested_regions')
      .where({ region_ou: regionOu })
      .forUpdate()
      .first();
    const stored = row ? toRecord(row) : undefined;
    if (!stored?.accounts || stored.status !== 'active') {
      throw new ConflictError(
        `region ${regionOu} is ${
          stored?.status ?? 'not requested'
        }: its accounts cannot change`,
      );
    }
    const accounts = change(stored.accounts);
    await db('requested_regions')
      .where({ region_ou: regionOu, status: 'active' })
      .update({
        accounts: JSON.stringify(accounts),
        account_counts: JSON.stringify(countsOf(accounts)),
      });
    return (await this.get(regionOu, db))!;
  }

  /**
   * Moves a region on in its life: an active one to decommissioning when its
   * decommission starts, a decommissioning one to decommissioned, with who and when,
   * when the run is done. Moving to where it is already changes nothing.
   * @returns whether the region is now in that status
   */
  async setStatus(
    regionOu: string,
    status: Exclude<RegionStatus, 'active'>,
    by: string,
    db: Knex = this.knex,
  ): Promise<boolean> {
    const from = status === 'decommissioning' ? 'active' : 'decommissioning';
    await db('requested_regions')
      .where({ region_ou: regionOu, status: from })
      .update({
        status,
        decommissioned_by: by,
        decommissioned_at: new Date(),
      });
    return (await this.get(regionOu, db))?.status === status;
  }

  /**
   * Records a region that AWS has and the desired state does not (one removed from
   * the configuration) as it starts being decommissioned, so that its decommission
   * is kept like any other: by whom, and when it is done. Again changes nothing.
   */
  async recordFound(
    region: {
      environment: string;
      region: string;
      regionOu: string;
      payer: string;
      accounts: AcceptedAccount[];
    },
    by: string,
    db: Knex = this.knex,
  ): Promise<void> {
    const now = new Date();
    await db('requested_regions')
      .insert({
        id: randomUUID(),
        environment: region.environment,
        region: region.region,
        owner: null,
        region_ou: region.regionOu,
        account_counts: JSON.stringify(countsOf(region.accounts)),
        payer: region.payer,
        accounts: JSON.stringify(region.accounts),
        requested_by: by,
        requested_at: now,
        status: 'decommissioning',
        decommissioned_by: by,
        decommissioned_at: now,
      })
      .onConflict('region_ou')
      .ignore();
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
