import { ActionContext } from '@backstage/plugin-scaffolder-node';
import { AuthService } from '@backstage/backend-plugin-api';
import {
  AccountMintingClient,
  ChangeRequest,
} from '@regional-minting/plugin-account-minting-common';
import { MAX_FAILED_LOOKS, sleep } from './polling';
import { backendError, isTransient, taskError, tokenFor } from './shared';

/**
 * How long past its expiry a change may still read as pending before the wait gives
 * up on it: the backend expires changes when they are read, so this is only for a
 * backend whose clock runs behind.
 */
const EXPIRY_GRACE_MS = 60_000;

/** What waiting for a change's approvals needs of the task. */
type TaskContext = Pick<
  ActionContext<any, any>,
  'logger' | 'signal' | 'checkpoint' | 'getInitiatorCredentials'
>;

/** How to wait for a change's approvals. */
export interface ApprovalWait {
  client: AccountMintingClient;
  auth: AuthService;
  changeId: string;
  /** The change's page of the portal's approvals. */
  changeUrl: string;
  pollSeconds: number;
  /** How long to wait for the approvals; until the change expires when left out. */
  approvalTimeoutMinutes?: number;
}

/** Who rejected a change and why, such as `rejected by user:default/bob: not in prod`. */
function rejection(change: ChangeRequest): string {
  const rejected = change.decisions.filter(d => d.decision === 'reject').at(-1);
  if (!rejected) return 'rejected';
  return `rejected by ${rejected.by}${
    rejected.comment ? `: ${rejected.comment}` : ' (no comment)'
  }`;
}

/** Who approved the change's current plan, such as `user:default/bob, user:default/dave`. */
function approvers(change: ChangeRequest): string {
  const by = change.decisions
    .filter(d => d.decision === 'approve' && !d.void)
    .map(d => d.by);
  return [...new Set(by)].join(', ');
}

/** Such as `1 of 2 approvals by group:default/platform-approvers`. */
function approvalCount(change: ChangeRequest): string {
  return `${change.approvals} of ${change.approversNeeded} approvals by ${change.approverGroup}`;
}

/** Tells the task log what changed in a change request since the last look, each thing once. */
class ApprovalReporter {
  private approvals?: number;
  private error?: string;

  constructor(private readonly logger: TaskContext['logger']) {}

  look(change: ChangeRequest) {
    if (change.status === 'pending' && change.approvals !== this.approvals) {
      const voided =
        this.approvals !== undefined && change.approvals < this.approvals;
      this.approvals = change.approvals;
      this.logger.info(
        `waiting for approval (${change.approvals} of ${
          change.approversNeeded
        })${
          voided
            ? '; what the change would do changed since, so the earlier approvals no longer count'
            : ''
        }`,
      );
    }
    if (change.status === 'approved' && change.error !== this.error) {
      this.error = change.error;
      if (change.error) {
        this.logger.warn(
          `Change ${change.id} is approved; its run has not started yet, trying again: ${change.error}`,
        );
      }
    }
  }
}

/**
 * Follows a change request until enough approvals start its run, logging each new
 * approval, and returns the run's id. Fails the task when the change is rejected or
 * expires, when approvalTimeoutMinutes pass, or when the task is cancelled; none of
 * these touches the change.
 */
export async function waitForApproval(
  ctx: TaskContext,
  wait: ApprovalWait,
): Promise<string> {
  const { client, changeId, changeUrl } = wait;
  // When the task is recovered the approval timeout still counts from the first wait.
  const waitingSince = await ctx.checkpoint<string>({
    key: `account-minting-change-wait-${changeId}`,
    fn: () => new Date().toISOString(),
  });

  ctx.logger.info(
    `Waiting for approval of account-minting change ${changeId}: ${changeUrl}`,
  );
  const progress = new ApprovalReporter(ctx.logger);
  let last: ChangeRequest | undefined;
  let failedLooks = 0;
  for (;;) {
    if (ctx.signal?.aborted) {
      throw taskError(
        new Error(
          `Stopped waiting for approval of account-minting change ${changeId}: the task was cancelled (the change stays as it is: ${changeUrl})`,
        ),
      );
    }
    let change: ChangeRequest;
    try {
      // A fresh token each time: a long wait outlives a token.
      const token = await tokenFor(wait.auth, ctx);
      change = await client.getChange(changeId, { token });
      failedLooks = 0;
    } catch (error) {
      // A backend restarting or out of reach for a while does not end the wait.
      failedLooks += 1;
      if (!isTransient(error) || failedLooks >= MAX_FAILED_LOOKS) {
        throw backendError(error);
      }
      ctx.logger.warn(
        `Could not read change ${changeId} (${
          backendError(error).message
        }); trying again`,
      );
      await pause();
      continue;
    }
    last = change;
    progress.look(change);

    if (change.status === 'started' && change.runId) {
      ctx.logger.info(
        `Change ${changeId} was approved by ${approvers(change)}; run ${
          change.runId
        } started`,
      );
      return change.runId;
    }
    if (change.status === 'rejected') {
      throw taskError(
        new Error(
          `Account-minting change ${changeId} was ${rejection(
            change,
          )}; nothing was started`,
        ),
      );
    }
    if (change.status === 'expired') {
      throw taskError(
        new Error(
          `Account-minting change ${changeId} expired at ${
            change.expiresAt
          } with ${approvalCount(
            change,
          )}; nothing was started: ask for it again`,
        ),
      );
    }
    await pause();
  }

  /** Waits until the next look, failing at the deadline. */
  async function pause() {
    const timeoutMinutes = wait.approvalTimeoutMinutes;
    const deadline =
      timeoutMinutes !== undefined
        ? Date.parse(waitingSince) + timeoutMinutes * 60_000
        : last && Date.parse(last.expiresAt) + EXPIRY_GRACE_MS;
    const left = deadline === undefined ? Infinity : deadline - Date.now();
    if (left <= 0) {
      const state = last
        ? `, which is ${last.status} with ${approvalCount(last)}`
        : '';
      throw taskError(
        new Error(
          timeoutMinutes !== undefined
            ? `Timed out after ${timeoutMinutes} minutes waiting for approval of account-minting change ${changeId}${state}; it stays open until it expires, follow it at ${changeUrl}`
            : `Account-minting change ${changeId} was not started by ${last?.expiresAt}, when it expires${state}; follow it at ${changeUrl}`,
        ),
      );
    }
    await sleep(Math.min(wait.pollSeconds * 1000, left), ctx.signal);
  }
}
