import { setTimeout as delay } from 'node:timers/promises';

/** Looks in a row that may fail to reach the backend before a wait fails. */
export const MAX_FAILED_LOOKS = 10;

/** Waits, or less when the signal aborts. */
export async function sleep(milliseconds: number, signal?: AbortSignal) {
  try {
    await delay(milliseconds, undefined, { signal });
  } catch (error) {
    // Aborted: the caller sees the signal and stops.
    if (!signal?.aborted) throw error;
  }
}
