import { setTimeout as sleep } from 'node:timers/promises';

/** An error that no retry can fix: the step fails with it at once. */
export class TerminalError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TerminalError';
  }
}

/** An error that may go away by itself: the step is tried again later, with backoff. */
export class RetryableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RetryableError';
  }
}

/**
 * Work that cannot go on before a known time, such as a closure waiting for AWS's
 * close quota to free a slot: the step waits, released, until then; waiting is not a
 * failed attempt.
 */
export class WaitUntilError extends Error {
  constructor(message: string, readonly notBefore: Date) {
    super(message);
    this.name = 'WaitUntilError';
  }
}

const THROTTLING_ERRORS = new Set([
  'TooManyRequestsException',
  'Throttling',
  'ThrottlingException',
]);
const TRANSIENT_ERRORS = new Set([
  ...THROTTLING_ERRORS,
  'ConcurrentModificationException',
  'ServiceException',
  'InternalFailure',
  'RequestTimeout',
  'TimeoutError',
]);
const NETWORK_ERRORS = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ETIMEDOUT',
  'EPIPE',
  'EAI_AGAIN',
]);

/** Whether an AWS error is throttling: the service refused the call for its request rate. */
export function isThrottling(error: unknown): boolean {
  const e = error as { name?: string; $retryable?: { throttling?: boolean } };
  return (
    THROTTLING_ERRORS.has(e?.name ?? '') || e?.$retryable?.throttling === true
  );
}

/** Whether an AWS or network error may go away by itself: throttling, contention, a busy or unreachable service. */
export function isTransient(error: unknown): boolean {
  if (error instanceof TerminalError) return false;
  if (error instanceof RetryableError) return true;
  const e = error as {
    name?: string;
    code?: string;
    Reason?: string;
    $retryable?: unknown;
    $metadata?: { httpStatusCode?: number };
  };
  if (e?.name === 'ConstraintViolationException') {
    // AWS lets only a few creations and closures run per organization: wait for a slot, do not fail.
    return (
      e.Reason === 'ACCOUNT_CREATION_RATE_LIMIT_EXCEEDED' ||
      e.Reason === 'CLOSE_ACCOUNT_REQUESTS_LIMIT_EXCEEDED'
    );
  }
  return (
    TRANSIENT_ERRORS.has(e?.name ?? '') ||
    NETWORK_ERRORS.has(e?.code ?? '') ||
    Boolean(e?.$retryable) ||
    (e?.$metadata?.httpStatusCode ?? 0) >= 500
  );
}

export interface BackoffOptions {
  /** The first delay; each retry doubles it, up to maxDelayMs, with full jitter. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** Attempts in all, the first included. */
  attempts: number;
  signal?: AbortSignal;
  onRetry?: (error: unknown, attempt: number, delayMs: number) => void;
}

export const DEFAULT_BACKOFF: BackoffOptions = {
  baseDelayMs: 200,
  maxDelayMs: 20_000,
  attempts: 8,
};

/** The delay before retry number `attempt` (1-based): exponential, with full jitter so that callers spread out. */
export function backoffDelay(
  attempt: number,
  options: Pick<BackoffOptions, 'baseDelayMs' | 'maxDelayMs'>,
): number {
  const ceiling = Math.min(
    options.maxDelayMs,
    options.baseDelayMs * 2 ** (attempt - 1),
  );
  return Math.round(Math.random() * ceiling);
}

/** Runs `call`, retrying transient errors with backoff; other errors, and the last one, are thrown. */
export async function withRetries<T>(
  call: () => Promise<T>,
  options: BackoffOptions = DEFAULT_BACKOFF,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      if (
        attempt >= options.attempts ||
        !isTransient(error) ||
        options.signal?.aborted
      )
        throw error;
      const delay = backoffDelay(attempt, options);
      options.onRetry?.(error, attempt, delay);
      await sleep(delay, undefined, { signal: options.signal });
    }
  }
}
