import { NotFoundError } from '@backstage/errors';
import {
  ChangeDecision,
  PipelineName,
  Plan,
} from '@regional-minting/plugin-account-minting-common';
import { Knex } from 'knex';
import { randomUUID } from 'node:crypto';
import { DbTimestamp } from '../runs/rows';
import {
  ChangeKind,
  ChangeRequest,
  ChangeStatus,
  ChangeSubject,
  StoredChange,
} from './types';

interface ChangeRow {
  id: string;
  kind: ChangeKind;
  status: ChangeStatus;
  environment: string;
  region: string;
  pipeline: PipelineName;
  account: string | null;
  subject: string;
  plan: string;
  plan_hash: string;
  requested_by: string;
  reason: string | null;
  approvers: number;
  approver_group: string;
  created_at: DbTimestamp;
  expires_at: DbTimestamp;
  updated_at: DbTimestamp;
  run_id: string | null;
  error: string | null;
}

interface DecisionRow {
  change_id: string;
  decision: 'approve' | 'reject';
  decided_by: string;
  comment: string | null;
  plan_hash: string;
  decided_at: DbTimestamp;
}

function toStored(row: ChangeRow): StoredChange {
  return {
    id: row.id,
    kind: row.kind,
    status: row.status,
    target: {
      environment: row.environment,
      region: row.region,
      pipeline: row.pipeline,
      ...(row.account ? { account: row.account } : {}),
    },
    subject: JSON.parse(row.subject) as ChangeSubject,
    plan: JSON.parse(row.plan) as Plan,
    planHash: row.plan_hash,
    requestedBy: row.requested_by,
    ...(row.reason ? { reason: row.reason } : {}),
    approversNeeded: row.approvers,
    approverGroup: row.approver_group,
    createdAt: new Date(row.created_at),
    expiresAt: new Date(row.expires_at),
    updatedAt: new Date(row.updated_at),
    ...(row.run_id ? { runId: row.run_id } : {}),
    ...(row.error ? { error: row.error } : {}),
  };
}

/** A change as the API shows it: stored, with its decisions and the approvals that count. */
function toChangeRequest(
  change: StoredChange,
  decisions: DecisionRow[],
): ChangeRequest {
  const shown: ChangeDecision[] = decisions.map(d => ({
    decision: d.decision,
    by: d.decided_by,
    ...(d.comment ? { comment: d.comment } : {}),
    at: new Date(d.decided_at).toISOString(),
    void: d.decision === 'approve' && d.plan_hash !== change.planHash,
  }));
  return {
    id: change.id,
    kind: change.kind,
    status: change.status,
    ...change.target,
    plan: change.plan,
    requestedBy: change.requestedBy,
    ...(change.reason ? { reason: change.reason } : {}),
    approvals: countApprovals(change, decisions),
    approversNeeded: change.approversNeeded,
    approverGroup: change.approverGroup,
    createdAt: change.createdAt.toISOString(),
    expiresAt: change.expiresAt.toISOString(),
    updatedAt: change.updatedAt.toISOString(),
    ...(change.runId ? { runId: change.runId } : {}),
    ...(change.error ? { error: change.error } : {}),
    decisions: shown,
  };
}

/** Distinct people who approved the change's current plan. */
function countApprovals(change: StoredChange, decisions: DecisionRow[]) {
  return new Set(
    decisions
      .filter(d => d.decision === 'approve' && d.plan_hash === change.planHash)
      .map(d => d.decided_by),
  ).size;
}

/** Change requests and their decisions, in the database so that every replica sees them. */
export class ChangeStore {
  constructor(private readonly knex: Knex) {}

  async create(
    change: Omit<
      StoredChange,
      'id' | 'status' | 'createdAt' | 'updatedAt' | 'runId' | 'error'
    >,
  ): Promise<StoredChange> {
    const now = new Date();
    const row: ChangeRow = {
      id: randomUUID(),
      kind: change.kind,
      status: 'pending',
      environment: change.target.environment,
      region: change.target.region,
      pipeline: change.target.pipeline,
      account: change.target.account ?? null,
      subject: JSON.stringify(change.subject),
      plan: JSON.stringify(change.plan),
      plan_hash: change.planHash,
      requested_by: change.requestedBy,
      reason: change.reason ?? null,
      approvers: change.approversNeeded,
      approver_group: change.approverGroup,
      created_at: now,
      expires_at: change.expiresAt,
      updated_at: now,
      run_id: null,
      error: null,
    };
    await this.knex('change_requests').insert(row);
    return toStored(row);
  }

  /** @throws NotFoundError for an id no change has */
  async get(id: string): Promise<StoredChange> {
    const row = await this.knex<ChangeRow>('change_requests')
      .where({ id })
      .first();
    if (!row) throw new NotFoundError(`no change request ${id}`);
    return toStored(row);
  }

  /** A waiting change of the same subject by the same person: asking twice makes one change. */
  async findWaiting(
    subject: ChangeSubject,
    requestedBy: string,
  ): Promise<StoredChange | undefined> {
    const row = await this.knex<ChangeRow>('change_requests')
      .whereIn('status', ['pending', 'approved'])
      .where({ subject: JSON.stringify(subject), requested_by: requestedBy })
      .first();
    return row ? toStored(row) : undefined;
  }

  async describe(change: StoredChange): Promise<ChangeRequest> {
    const decisions = await this.knex<DecisionRow>('change_decisions')
      .where({ change_id: change.id })
      .orderBy('id');
    return toChangeRequest(change, decisions);
  }

  /** Pending changes first, then the newest, each with its decisions. */
  async list(filter: { status?: ChangeStatus }): Promise<ChangeRequest[]> {
    const rows: ChangeRow[] = await this.knex<ChangeRow>('change_requests')
      .modify(query => {
        if (filter.status) query.where('status', filter.status);
      })
      .orderByRaw("case when status = 'pending' then 0 else 1 end")
      .orderBy([
        { column: 'created_at', order: 'desc' },
        { column: 'id', order: 'desc' },
      ])
      .limit(500);
    const decisions: DecisionRow[] = rows.length
      ? await this.knex<DecisionRow>('change_decisions')
          .whereIn(
            'change_id',
            rows.map(r => r.id),
          )
          .orderBy('id')
      : [];
    return rows.map(row =>
      toChangeRequest(
        toStored(row),
        decisions.filter(d => d.change_id === row.id),
      ),
    );
  }

  /**
   * Records a decision on the change's current plan; the same person deciding twice on
   * one plan records nothing more. Answers the approvals that now count.
   */
  async decide(
    change: StoredChange,
    decision: { decision: 'approve' | 'reject'; by: string; comment?: string },
  ): Promise<number> {
    await this.knex('change_decisions')
      .insert({
        change_id: change.id,
        decision: decision.decision,
        decided_by: decision.by,
        comment: decision.comment ?? null,
        plan_hash: change.planHash,
        decided_at: new Date(),
      })
      .onConflict(['change_id', 'decided_by', 'plan_hash'])
      .ignore();
    const decisions = await this.knex<DecisionRow>('change_decisions').where({
      change_id: change.id,
    });
    return countApprovals(change, decisions);
  }

  /**
   * Moves a change on from a status it is in, and nothing else moves it meanwhile.
   * @returns whether it was in `from` and moved
   */
  async transition(
    id: string,
    from: ChangeStatus[],
    to: ChangeStatus,
    patch: { runId?: string; error?: string | null } = {},
  ): Promise<boolean> {
    const updated = await this.knex('change_requests')
      .where({ id })
      .whereIn('status', from)
      .update({
        status: to,
        updated_at: new Date(),
        ...(patch.runId !== undefined ? { run_id: patch.runId } : {}),
        ...(patch.error !== undefined ? { error: patch.error } : {}),
      });
    return updated > 0;
  }

  /** Why an approved change has not started yet, kept for people and for the next attempt. */
  async setError(id: string, error: string): Promise<void> {
    await this.knex('change_requests')
      .where({ id })
      .update({ error, updated_at: new Date() });
  }

  /**
   * Shows a new plan: the approvals given to the old one no longer count, and the change
   * waits again. Only if the plan shown is still `previousHash`.
   */
  async replan(
    id: string,
    previousHash: string,
    plan: Plan,
    hash: string,
  ): Promise<boolean> {
    const updated = await this.knex('change_requests')
      .where({ id, plan_hash: previousHash })
      .whereIn('status', ['pending', 'approved'])
      .update({
        status: 'pending',
        plan: JSON.stringify(plan),
        plan_hash: hash,
        error: null,
        updated_at: new Date(),
      });
    return updated > 0;
  }

  /** Waiting changes past their time: expired, and returned. */
  async expire(now: Date): Promise<StoredChange[]> {
    const due = await this.knex<ChangeRow>('change_requests')
      .whereIn('status', ['pending', 'approved'])
      .where('expires_at', '<', now);
    const expired: StoredChange[] = [];
    for (const row of due) {
      if (await this.transition(row.id, ['pending', 'approved'], 'expired')) {
        expired.push({ ...toStored(row), status: 'expired' });
      }
    }
    return expired;
  }

  /** Changes claimed to start before `claimedBefore` that never got their run: their backend died. */
  async unclaimStartsWithoutRun(claimedBefore: Date): Promise<void> {
    await this.knex('change_requests')
      .where({ status: 'started' })
      .whereNull('run_id')
      .where('updated_at', '<', claimedBefore)
      .update({ status: 'approved', updated_at: new Date() });
  }

  /** Approved changes that have not started: a crash between approval and start leaves them. */
  async approvedNotStarted(): Promise<StoredChange[]> {
    const rows = await this.knex<ChangeRow>('change_requests').where({
      status: 'approved',
    });
    return rows.map(toStored);
  }
}
