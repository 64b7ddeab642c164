import { LoggerService } from '@backstage/backend-plugin-api';
import {
  ConflictError,
  InputError,
  NotAllowedError,
  isError,
} from '@backstage/errors';
import {
  describeChange,
  MintingSignal,
  Plan,
} from '@regional-minting/plugin-account-minting-common';
import { ApprovalConfig, MintingConfig } from '../config/mintingConfig';
import { RunRecord } from '../runs/types';
import { MembershipCheck } from './approverGroups';
import { ChangeStore } from './ChangeStore';
import { planHash } from './planHash';
import {
  ChangeRequest,
  ChangeStatus,
  ChangeSubject,
  ChangeTarget,
  StoredChange,
} from './types';

/** What a change does, by its subject: where it acts, its plan, and the work it starts. */
export interface ChangeWork {
  /**
   * Where the subject acts.
   * @throws NotFoundError or ConflictError for a subject that cannot be started now
   */
  target(subject: ChangeSubject): Promise<ChangeTarget>;
  /** The plan of the run it would start, computed now. */
  plan(subject: ChangeSubject, requestedBy: string): Promise<Plan>;
  /** Starts its run; starting again returns the run already started. */
  start(subject: ChangeSubject, requestedBy: string): Promise<RunRecord>;
}

/** How the change service tells people and the portal; it never fails the change. */
export interface ChangeNotices {
  notify(
    recipients: string[],
    payload: {
      title: string;
      description?: string;
      link: string;
      severity: 'high' | 'normal' | 'low';
      topic: string;
      scope?: string;
    },
  ): Promise<void>;
  signal(message: MintingSignal): Promise<void>;
}

// A start takes a few database writes: one claimed longer ago than this died on the way.
const STALE_START_MS = 2 * 60_000;

function expiresAfterMs(approval: ApprovalConfig): number {
  const { days = 0, hours = 0, minutes = 0 } = approval.expiresAfter;
  return ((days * 24 + hours) * 60 + minutes) * 60_000;
}

function message(error: unknown): string {
  return isError(error) ? error.message : String(error);
}

/**
 * Changes that wait for approval: in an environment whose configuration asks for it,
 * a change that would mutate AWS is recorded with its plan and starts only once
 * enough distinct members of the approver group, never its requester, approved that
 * same plan. The plan is computed again before the start; a different plan voids the
 * approvals. Every step is a conditional update, so that two approvers at once, or
 * two replicas, start one run.
 */
export class ChangeService {
  constructor(
    private readonly options: {
      config: MintingConfig;
      store: ChangeStore;
      work: ChangeWork;
      isMember: MembershipCheck;
      notices: ChangeNotices;
      logger: LoggerService;
      /** The portal's address, for links in notifications. */
      portalPath: string;
    },
  ) {}

  /** The approval an environment asks for, if any. */
  approvalFor(environment: string): ApprovalConfig | undefined {
    return this.options.config.environments.find(e => e.name === environment)
      ?.approval;
  }

  target(subject: ChangeSubject): Promise<ChangeTarget> {
    return this.options.work.target(subject);
  }

  /** Starts the work of a change in an environment that needs no approval. */
  startNow(subject: ChangeSubject, requestedBy: string): Promise<RunRecord> {
    return this.options.work.start(subject, requestedBy);
  }

  /**
   * Records a change that waits for approval, with its plan as of now; asking again for
   * the same thing returns the change already waiting.
   * @throws InputError naming `reason` when the environment requires one and none is given
   */
  async request(
    subject: ChangeSubject,
    target: ChangeTarget,
    asked: { requestedBy: string; reason?: string },
  ): Promise<ChangeRequest> {
    const approval = this.approvalFor(target.environment);
    if (!approval) {
      throw new Error(`${target.environment} needs no approval`);
    }
    const reason = asked.reason?.trim() || undefined;
    if (approval.reasonRequired && !reason) {
      throw new InputError(
        `reason: changes in ${target.environment} need approval; say why this change is needed`,
      );
    }
    const { store } = this.options;
    const waiting = await store.findWaiting(subject, asked.requestedBy);
    if (waiting) return store.describe(waiting);
    const plan = await this.options.work.plan(subject, asked.requestedBy);
    const change = await store.create({
      kind: subject.kind,
      target,
      subject,
      plan,
      planHash: planHash(plan),
      requestedBy: asked.requestedBy,
      reason,
      approversNeeded: approval.approvers,
      approverGroup: approval.group,
      expiresAt: new Date(Date.now() + expiresAfterMs(approval)),
    });
    await this.announce(change, [approval.group], {
      title: `Approval needed: ${describe(change)}`,
      description: `${change.requestedBy} asks${reason ? `: ${reason}` : ''}. ${
        plan.changes
      } change(s) planned; ${approval.approvers} approval(s) needed.`,
      severity: 'high',
    });
    return store.describe(change);
  }

  async get(id: string): Promise<ChangeRequest> {
    await this.expireDue();
    const { store } = this.options;
    return store.describe(await store.get(id));
  }

  async list(filter: { status?: ChangeStatus }): Promise<ChangeRequest[]> {
    await this.expireDue();
    return this.options.store.list(filter);
  }

  /**
   * Approves the change's current plan; the approval that makes enough starts it.
   * @throws NotAllowedError for its requester or someone outside the approver group
   * @throws ConflictError for a change that no longer waits
   */
  async approve(
    id: string,
    by: string,
    comment?: string,
  ): Promise<ChangeRequest> {
    const change = await this.waiting(id, 'approved');
    await this.checkApprover(change, by, 'approve');
    const { store } = this.options;
    const approvals = await store.decide(change, {
      decision: 'approve',
      by,
      comment,
    });
    if (
      approvals >= change.approversNeeded &&
      (await store.transition(id, ['pending'], 'approved'))
    ) {
      await this.startApproved(await store.get(id));
    } else {
      await this.options.notices.signal(signalOf(change));
    }
    return store.describe(await store.get(id));
  }

  /**
   * Rejects the change, which ends it. Its requester may withdraw it the same way.
   * @throws NotAllowedError for someone outside the approver group
   */
  async reject(
    id: string,
    by: string,
    comment?: string,
  ): Promise<ChangeRequest> {
    const change = await this.waiting(id, 'rejected');
    if (by !== change.requestedBy)
      await this.checkApprover(change, by, 'reject');
    const { store } = this.options;
    await store.decide(change, { decision: 'reject', by, comment });
    if (await store.transition(id, ['pending', 'approved'], 'rejected')) {
      await this.announce(change, [change.requestedBy], {
        title: `Rejected: ${describe(change)}`,
        description: `${by}${comment ? `: ${comment}` : ''}`,
        severity: 'normal',
      });
    }
    return store.describe(await store.get(id));
  }

  /**
   * What the scheduler does each minute: expires changes past their time, and starts
   * approved changes that have not started (their start failed, or a backend died).
   */
  async tick(): Promise<void> {
    await this.expireDue();
    await this.options.store.unclaimStartsWithoutRun(
      new Date(Date.now() - STALE_START_MS),
    );
    for (const change of await this.options.store.approvedNotStarted()) {
      await this.startApproved(change);
    }
  }

  /** A change that still waits, or why it does not. */
  private async waiting(id: string, wanted: string): Promise<StoredChange> {
    await this.expireDue();
    const change = await this.options.store.get(id);
    if (change.status !== 'pending') {
      throw new ConflictError(
        `change ${id} is ${change.status}: only a pending change can be ${wanted}`,
      );
    }
    return change;
  }

  private async checkApprover(
    change: StoredChange,
    by: string,
    decision: 'approve' | 'reject',
  ) {
    if (by === change.requestedBy) {
      throw new NotAllowedError(
        `you asked for change ${change.id}: someone else of ${change.approverGroup} must ${decision} it`,
      );
    }
    if (!(await this.options.isMember(by, change.approverGroup))) {
      throw new NotAllowedError(
        `only members of ${change.approverGroup} may ${decision} changes in ${change.target.environment}`,
      );
    }
  }

  /**
   * Starts an approved change: its plan is computed again, and only the plan approved
   * starts; a different one goes back to the approvers. Whoever moves the change from
   * `approved` to `started` starts its run, so two approvers or two replicas start it
   * once; a start that fails puts it back to `approved` for the next tick, and a
   * backend that dies in between leaves a started change without a run, which the
   * tick puts back too. Starting again is harmless: starts are idempotent.
   */
  private async startApproved(change: StoredChange): Promise<void> {
    const { store, work, logger } = this.options;
    let claimed = false;
    try {
      const plan = await work.plan(change.subject, change.requestedBy);
      const hash = planHash(plan);
      if (hash !== change.planHash) {
        if (await store.replan(change.id, change.planHash, plan, hash)) {
          await this.announce(
            change,
            [change.approverGroup, change.requestedBy],
            {
              title: `Plan changed, approve again: ${describe(change)}`,
              description: `AWS or the configuration changed since it was approved: the approvals are void. ${plan.changes} change(s) planned now.`,
              severity: 'high',
            },
          );
        }
        return;
      }
      claimed = await store.transition(change.id, ['approved'], 'started');
      if (!claimed) return;
      const run = await work.start(change.subject, change.requestedBy);
      await store.transition(change.id, ['started'], 'started', {
        runId: run.id,
        error: null,
      });
      await this.announce(
        { ...change, status: 'started' },
        [change.requestedBy],
        {
          title: `Approved and started: ${describe(change)}`,
          description: `run ${run.id}`,
          severity: 'normal',
        },
      );
    } catch (error) {
      logger.warn(`change ${change.id} could not start: ${message(error)}`);
      await (claimed
        ? store.transition(change.id, ['started'], 'approved', {
            error: message(error),
          })
        : store.setError(change.id, message(error)));
    }
  }

  private async expireDue() {
    for (const change of await this.options.store.expire(new Date())) {
      await this.announce(change, [change.requestedBy], {
        title: `Expired: ${describe(change)}`,
        description: `not approved by ${change.expiresAt.toISOString()}`,
        severity: 'normal',
      });
    }
  }

  private async announce(
    change: StoredChange,
    recipients: string[],
    notice: { title: string; description: string; severity: 'high' | 'normal' },
  ) {
    const { notices, portalPath } = this.options;
    await notices.signal(signalOf(change));
    await notices.notify(
      recipients.filter(r => /^(user|group):/.test(r)),
      {
        ...notice,
        link: `${portalPath}/approvals/${encodeURIComponent(change.id)}`,
        topic: 'account-minting-approvals',
        scope: `change:${change.id}`,
      },
    );
  }
}

function signalOf(change: StoredChange): MintingSignal {
  return {
    type: 'change',
    changeId: change.id,
    status: change.status,
    region: change.target.region,
  };
}

/** A stored change in a few words, for notifications. */
function describe(change: Pick<StoredChange, 'kind' | 'target'>): string {
  return describeChange({ kind: change.kind, ...change.target });
}
