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

const SECOND = 1000;
const MINUTE = 60_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;
/** The units a time is said in, largest first, as luxon's toRelative picks them. */
const RELATIVE_UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ['year', 365 * DAY],
  ['month', 30 * DAY],
  ['day', DAY],
  ['hour', HOUR],
  ['minute', MINUTE],
  ['second', SECOND],
];
let relativeFormat: Intl.RelativeTimeFormat | undefined;

/**
 * When, as people say it: `3 minutes ago`, `in 2 hours`. By arithmetic and one formatter
 * made once, not a calendar's diff per unit: a large tree says it on many rows each draw.
 */
export function ago(
  iso: string | undefined,
  now: number = Date.now(),
): string | undefined {
  const elapsed = iso ? Date.parse(iso) - now : NaN;
  if (Number.isNaN(elapsed)) return undefined;
  relativeFormat ??= new Intl.RelativeTimeFormat(undefined, {
    numeric: 'always',
  });
  const { unit, count } = inWholeUnits(elapsed);
  // Within the second is just past (`0 seconds ago`), a clock's skew included.
  return relativeFormat.format(count || -0, unit);
}

const SHORT: Partial<Record<Intl.RelativeTimeFormatUnit, string>> = {
  year: 'y',
  month: 'mo',
  day: 'd',
  hour: 'h',
  minute: 'm',
};

/**
 * How long ago, in a few characters (`5m ago`, `3h ago`, `2d ago`): what a row's narrow
 * column has room for.
 */
export function compactAgo(iso: string, now: number): string {
  const elapsed = now - Date.parse(iso);
  if (!(elapsed >= MINUTE)) return 'just now';
  const { unit, count } = inWholeUnits(elapsed);
  return `${count}${SHORT[unit]} ago`;
}

/** A length of time in its largest unit of at least one whole (seconds below one), truncated. */
function inWholeUnits(ms: number): {
  unit: Intl.RelativeTimeFormatUnit;
  count: number;
} {
  const [unit, size] = RELATIVE_UNITS.find(
    ([, length]) => Math.abs(ms) >= length,
  ) ?? ['second', SECOND];
  return { unit, count: Math.trunc(ms / size) };
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
