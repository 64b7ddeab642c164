import { DateTime, Duration } from 'luxon';

/** How long something took or has taken so far, such as `2m 05s`; undefined before it started. */
export function durationBetween(
  startedAt: string | undefined,
  finishedAt: string | undefined,
  now: number = Date.now(),
): string | undefined {
  if (!startedAt) return undefined;
  const end = finishedAt ? Date.parse(finishedAt) : now;
  return formatDuration(Math.max(0, end - Date.parse(startedAt)));
}

export function formatDuration(ms: number): string {
  const duration = Duration.fromMillis(ms);
  if (ms < 1000) return `${Math.round(ms)}ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)}s`;
  if (ms < 3_600_000) return duration.toFormat("m'm' ss's'");
  return duration.toFormat("h'h' mm'm'");
}

/** When, as people say it: `3 minutes ago`. */
export function ago(iso: string | undefined): string | undefined {
  return iso ? DateTime.fromISO(iso).toRelative() ?? undefined : undefined;
}

/** Full times already written out: a large tree writes the same few times on many rows, each draw. */
const fullTimes = new Map<string, string>();
const FULL_TIMES_KEPT = 10_000;

/** The full local time, for a tooltip. */
export function fullTime(iso: string | undefined): string | undefined {
  if (!iso) return undefined;
  let text = fullTimes.get(iso);
  if (text === undefined) {
    text = DateTime.fromISO(iso).toLocaleString(
      DateTime.DATETIME_MED_WITH_SECONDS,
    );
    if (fullTimes.size >= FULL_TIMES_KEPT) fullTimes.clear();
    fullTimes.set(iso, text);
  }
  return text;
}

/** Whether a run, a step or a pipeline's last result is still under way. */
export function isUnderWay(status: string | undefined): boolean {
  return status === 'queued' || status === 'running' || status === 'pending';
}
