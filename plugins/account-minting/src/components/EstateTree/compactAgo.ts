import { inWholeUnits } from '../shared/time';

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
  if (!(elapsed >= 60_000)) return 'just now';
  const { unit, count } = inWholeUnits(elapsed);
  return `${count}${SHORT[unit]} ago`;
}
