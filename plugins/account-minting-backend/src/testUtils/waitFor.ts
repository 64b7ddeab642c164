/**
 * How long a test waits by default for something the backend does by itself. Generous on
 * purpose: it only bounds a wait that would otherwise last until Jest's own timeout, so a
 * loaded machine never fails a test that a fast one passes.
 */
export const WAIT_TIMEOUT_MS = 90_000;

/** Waits that fail with what they waited for rather than with Jest's timeout. */
export interface WaitOptions {
  /** How long to wait before giving up; WAIT_TIMEOUT_MS unless told. */
  timeoutMs?: number;
  /** How long to pause between two looks. */
  intervalMs?: number;
  /** What to add to the error when the wait gives up, such as the current state. */
  describe?: () => Promise<string> | string;
}

/**
 * Looks with `check` until it returns something other than undefined, null or false,
 * and returns that. Waits for a condition, never for a fixed time.
 * @throws Error naming `what` once `timeoutMs` passed, with what `describe` says.
 */
export async function waitFor<T>(
  what: string,
  check: () =>
    | Promise<T | undefined | null | false>
    | T
    | undefined
    | null
    | false,
  options: WaitOptions = {},
): Promise<T> {
  const timeoutMs = options.timeoutMs ?? WAIT_TIMEOUT_MS;
  const intervalMs = options.intervalMs ?? 20;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== null && value !== false) return value;
    if (Date.now() >= deadline) {
      const detail = options.describe ? `: ${await options.describe()}` : '';
      throw new Error(
        `gave up after ${timeoutMs} ms waiting for ${what}${detail}`,
      );
    }
    await new Promise(resolve => setTimeout(resolve, intervalMs));
  }
}

/**
 * Runs an expectation until it holds, up to `timeoutMs` (WAIT_TIMEOUT_MS unless told).
 * @throws the expectation's own error once the time is up.
 */
export async function eventually(
  expectation: () => void | Promise<void>,
  options: Pick<WaitOptions, 'timeoutMs' | 'intervalMs'> = {},
): Promise<void> {
  const deadline = Date.now() + (options.timeoutMs ?? WAIT_TIMEOUT_MS);
  for (;;) {
    try {
      await expectation();
      return;
    } catch (error) {
      if (Date.now() >= deadline) throw error;
    }
    await new Promise(resolve => setTimeout(resolve, options.intervalMs ?? 5));
  }
}
