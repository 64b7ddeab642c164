import {
  CreateAccountStatus,
  DescribeCreateAccountStatusCommand,
  DescribeCreateAccountStatusCommandOutput,
  ListCreateAccountStatusCommand,
  ListCreateAccountStatusCommandOutput,
} from '@aws-sdk/client-organizations';
import { setTimeout as sleep } from 'node:timers/promises';
import { CreationTimes } from '../CreationTimes';
import { OrganizationSession } from '../OrganizationSession';
import { RetryableError } from '../retry';

// A tick at a creation's expected end comes this much after it, so that AWS has ended it.
const AFTER_EXPECTED_MS = 25;
// A creation past its expected end is looked at this often: seen within about a second.
const OVERDUE_MS = 500;
// Before any creation was seen to end, looks are never further apart than this.
const BLIND_MAX_MS = 1000;
// Creations expected to end this close together are looked at once, when the last should be done.
const TOGETHER_MS = 700;

interface Waiter {
  /** When AWS received the request, by AWS's clock. */
  requestedAt: number;
  session: OrganizationSession;
  done: () => void;
}

/**
 * Follows the account creations in flight in one organization together: one
 * ListCreateAccountStatus of the creations in progress per tick, whoever waits, with
 * ticks timed by how long creations take there (learned), so that a creation that
 * ends is seen about when it ends and never polled alone. A creation no longer in
 * progress is described once, by its waiter, for its account id or failure.
 */
export class CreationTracker {
  private readonly waiters = new Map<string, Waiter>();
  private ticking = false;
  private lastTickAt = 0;
  private blindDelayMs: number;

  constructor(
    private readonly options: {
      payer: string;
      times: CreationTimes;
      /** The first wait between two looks while no creation was seen to end; it grows by half each time, to a second. */
      pollMinMs: number;
    },
  ) {
    this.blindDelayMs = Math.min(options.pollMinMs, BLIND_MAX_MS);
  }

  /**
   * Waits until AWS no longer lists the creation in progress.
   * @param requestedAt when AWS received the request (its RequestedTimestamp), or when it was sent
   */
  async ended(
    session: OrganizationSession,
    requestId: string,
    requestedAt: number,
    signal: AbortSignal,
  ): Promise<void> {
    await this.notInProgress(session, requestId, requestedAt, signal);
  }

  /** How a creation ended (or that it goes on), learning from it how long creations take. */
  async describe(
    session: OrganizationSession,
    requestId: string,
  ): Promise<CreateAccountStatus> {
    const { CreateAccountStatus: status } =
      await session.send<DescribeCreateAccountStatusCommandOutput>(
        new DescribeCreateAccountStatusCommand({
          CreateAccountRequestId: requestId,
        }),
      );
    if (status?.State === 'IN_PROGRESS')
      throw new RetryableError(
        `creation ${requestId} is in progress again after it was seen ended`,
      );
    const started = status?.RequestedTimestamp?.getTime();
    const completed = status?.CompletedTimestamp?.getTime();
    if (started && completed)
      this.options.times.record(this.options.payer, completed - started);
    return status as CreateAccountStatus;
  }

  /** Resolves once a tick no longer lists the request in progress. */
  private notInProgress(
    session: OrganizationSession,
    requestId: string,
    requestedAt: number,
    signal: AbortSignal,
  ): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const onAbort = () => {
        this.waiters.delete(requestId);
        reject(signal.reason);
      };
      if (signal.aborted) {
        onAbort();
        return;
      }
      signal.addEventListener('abort', onAbort, { once: true });
      this.waiters.set(requestId, {
        requestedAt,
        session,
        done: () => {
          signal.removeEventListener('abort', onAbort);
          resolve();
        },
      });
      this.tick();
    });
  }

  /** When the next look is due: at the first expected end to come, or soon for one overdue. */
  private nextTickAt(): number {
    const expected = this.options.times.expected(this.options.payer);
    if (expected === undefined) return this.lastTickAt + this.blindDelayMs;
    const dues = [...this.waiters.values()].map(waiter => {
      const endsAt = waiter.requestedAt + expected + AFTER_EXPECTED_MS;
      return endsAt > this.lastTickAt ? endsAt : this.lastTickAt + OVERDUE_MS;
    });
    const first = Math.min(...dues);
    return Math.max(...dues.filter(due => due <= first + TOGETHER_MS));
  }

  /** The one loop of the organization's looks, while anyone waits. */
  private async tick(): Promise<void> {
    if (this.ticking) return;
    this.ticking = true;
    try {
      while (this.waiters.size > 0) {
        await sleep(Math.max(0, this.nextTickAt() - Date.now()));
        const [first] = this.waiters.values();
        if (!first) break;
        this.lastTickAt = Date.now();
        let inProgress: Set<string>;
        try {
          inProgress = new Set(
            (
              await first.session.listAll<
                CreateAccountStatus,
                ListCreateAccountStatusCommandOutput
              >(
                NextToken =>
                  new ListCreateAccountStatusCommand({
                    States: ['IN_PROGRESS'],
                    NextToken,
                  }),
                o => o.CreateAccountStatuses,
              )
            ).map(c => c.Id ?? ''),
          );
        } catch {
          // The waiter whose session made the look may be gone: the next tick looks again.
          continue;
        }
        // Until a creation was seen to end, looks grow apart, never more than a second.
        if (this.options.times.expected(this.options.payer) === undefined)
          this.blindDelayMs = Math.min(BLIND_MAX_MS, this.blindDelayMs * 1.5);
        for (const [requestId, waiter] of [...this.waiters]) {
          if (!inProgress.has(requestId)) {
            this.waiters.delete(requestId);
            waiter.done();
          }
        }
      }
    } finally {
      this.ticking = false;
    }
  }
}
