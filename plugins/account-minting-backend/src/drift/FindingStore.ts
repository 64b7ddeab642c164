import { NotFoundError } from '@backstage/errors';
import {
  CHECKED_PIPELINES,
  DriftFilter,
  DriftFinding,
  DriftLayer,
  PipelineName,
} from '@regional-minting/plugin-account-minting-common';
import { Knex } from 'knex';
import { randomUUID } from 'node:crypto';
import { DbTimestamp, toOptionalIsoString } from '../runs/rows';

/** A difference a check found, before it is stored. */
export interface FoundDrift {
  pipeline: DriftFinding['pipeline'];
  layer: DriftLayer;
  payer: string;
  environment: string;
  region: string;
  account?: string;
  accountId?: string;
  /** What within the account or region differs, so that two findings of one layer stay apart. */
  subject: string;
  summary: string;
  diff?: { expected?: unknown; actual?: unknown };
  repairable: boolean;
}

interface FindingRow {
  id: string;
  fingerprint: string;
  pipeline: DriftFinding['pipeline'];
  layer: DriftLayer;
  payer: string;
  environment: string;
  region: string;
  account: string | null;
  account_id: string | null;
  summary: string;
  diff: string | null;
  repairable: boolean | number;
  first_seen_at: DbTimestamp;
  last_seen_at: DbTimestamp;
  resolved_at: DbTimestamp | null;
  resolution: DriftFinding['resolution'] | null;
  check_run_id: string;
  repair_run_id: string | null;
}

function fingerprintOf(found: FoundDrift): string {
  return JSON.stringify([
    found.layer,
    found.region,
    found.account ?? '',
    found.subject,
  ]);
}

function toFinding(row: FindingRow): DriftFinding {
  return {
    id: row.id,
    pipeline: row.pipeline,
    layer: row.layer,
    payer: row.payer,
    environment: row.environment,
    region: row.region,
    account: row.account ?? undefined,
    accountId: row.account_id ?? undefined,
    summary: row.summary,
    diff: row.diff === null ? undefined : JSON.parse(row.diff),
    repairable: Boolean(row.repairable),
    firstSeenAt: toOptionalIsoString(row.first_seen_at)!,
    lastSeenAt: toOptionalIsoString(row.last_seen_at)!,
    resolvedAt: toOptionalIsoString(row.resolved_at),
    resolution: row.resolution ?? undefined,
    checkRunId: row.check_run_id,
    repairRunId: row.repair_run_id ?? undefined,
  };
}

/** The pipelines whose layers a run of `pipeline` puts right. */
function repairedPipelines(pipeline: PipelineName): readonly PipelineName[] {
  return pipeline === 'region' ? CHECKED_PIPELINES : [pipeline];
}

/** Drift findings: opened when a check first finds a difference, kept while it is seen, resolved once gone. */
export class FindingStore {
  constructor(
    private readonly knex: Knex,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /**
   * Records what one check of a pipeline in a payer found: new differences are
   * opened, known ones seen again, and the scope's open findings not found any
   * more are resolved as fixed. Returns the findings opened now.
   */
  async reconcile(
    scope: { pipeline: DriftFinding['pipeline']; payer: string },
    found: FoundDrift[],
    checkRunId: string,
  ): Promise<DriftFinding[]> {
    const now = this.now();
    return this.knex.transaction(async tx => {
      const open: FindingRow[] = await tx('findings')
        .where({ pipeline: scope.pipeline, payer: scope.payer })
        .whereNull('resolved_at');
      const openByPrint = new Map(open.map(row => [row.fingerprint, row]));
      const seen = new Set<string>();
      const opened: FindingRow[] = [];
      for (const drift of found) {
        const fingerprint = fingerprintOf(drift);
        if (seen.has(fingerprint)) continue;
        seen.add(fingerprint);
        const known = openByPrint.get(fingerprint);
        const fields = {
          summary: drift.summary,
          diff: drift.diff === undefined ? null : JSON.stringify(drift.diff),
          account_id: drift.accountId ?? null,
          repairable: drift.repairable,
          last_seen_at: now,
          check_run_id: checkRunId,
        };
        if (known) {
          await tx('findings').where('id', known.id).update(fields);
        } else {
          const row: FindingRow = {
            id: randomUUID(),
            fingerprint,
            pipeline: drift.pipeline,
            layer: drift.layer,
            payer: drift.payer,
            environment: drift.environment,
            region: drift.region,
            account: drift.account ?? null,
            ...fields,
            first_seen_at: now,
            resolved_at: null,
            resolution: null,
            repair_run_id: null,
          };
          await tx('findings').insert(row);
          opened.push(row);
        }
      }
      const gone = open.filter(row => !seen.has(row.fingerprint));
      if (gone.length > 0) {
        await tx('findings')
          .whereIn(
            'id',
            gone.map(row => row.id),
          )
          .update({ resolved_at: now, resolution: 'fixed' });
      }
      return opened.map(toFinding);
    });
  }

  /** Open findings first, then the most recently seen. */
  async list(filter: DriftFilter = {}, limit = 1000): Promise<DriftFinding[]> {
    const rows: FindingRow[] = await this.knex('findings')
      .modify(query => {
        if (filter.region) query.where('region', filter.region);
        if (filter.environment) query.where('environment', filter.environment);
        if (filter.layer) query.where('layer', filter.layer);
        if (filter.status === 'open') query.whereNull('resolved_at');
        if (filter.status === 'resolved') query.whereNotNull('resolved_at');
      })
      .orderByRaw('CASE WHEN resolved_at IS NULL THEN 0 ELSE 1 END')
      .orderBy([
        { column: 'last_seen_at', order: 'desc' },
        { column: 'id', order: 'asc' },
      ])
      .limit(limit);
    return rows.map(toFinding);
  }

  async get(id: string): Promise<DriftFinding> {
    const row: FindingRow | undefined = await this.knex('findings')
      .where('id', id)
      .first();
    if (!row) throw new NotFoundError(`No drift finding with id ${id}`);
    return toFinding(row);
  }

  /** Notes the run started to repair these findings. */
  async setRepairRun(ids: string[], runId: string): Promise<void> {
    if (ids.length === 0) return;
    await this.knex('findings')
      .whereIn('id', ids)
      .whereNull('resolved_at')
      .update({ repair_run_id: runId });
  }

  /**
   * A run of the engine succeeded on a region (or one account of it): what its
   * pipelines manage there matches now, so their open findings are repaired.
   * Stray accounts are nobody's to repair and stay open.
   */
  async resolveRepaired(run: {
    id: string;
    pipeline: PipelineName;
    region: string;
    account?: string;
  }): Promise<number> {
    return this.knex('findings')
      .whereIn('pipeline', repairedPipelines(run.pipeline))
      .where({ region: run.region, repairable: true })
      .modify(query => {
        if (run.account) query.where('account', run.account);
      })
      .whereNull('resolved_at')
      .update({
        resolved_at: this.now(),
        resolution: 'repaired',
        repair_run_id: run.id,
      });
  }

  /** How many findings are open, by layer: the metrics' gauge. */
  async countOpenByLayer(): Promise<Partial<Record<DriftLayer, number>>> {
    const rows: { layer: DriftLayer; count: number | string }[] =
      await this.knex('findings')
        .whereNull('resolved_at')
        .groupBy('layer')
        .select('layer')
        .count({ count: '*' });
    return Object.fromEntries(rows.map(r => [r.layer, Number(r.count)]));
  }
}
