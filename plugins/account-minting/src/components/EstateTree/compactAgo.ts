const UNITS: [limitMs: number, sizeMs: number, unit: string][] = [
  [3_600_000, 60_000, 'm'],
  [86_400_000, 3_600_000, 'h'],
  [30 * 86_400_000, 86_400_000, 'd'],
  [365 * 86_400_000, 30 * 86_400_000, 'mo'],
  [Infinity, 365 * 86_400_000, 'y'],
];

/**
 * How long ago, in a few characters (`5m ago`, `3h ago`, `2d ago`): what a row's narrow
 * column has room for, by arithmetic alone since thousands of rows may ask.
 */
export function compactAgo(iso: string, now: number): string {
  const elapsed = now - Date.parse(iso);
  if (!(elapsed >= 60_000)) return 'just now';
  const [, size, unit] = UNITS.find(([limit]) => elapsed < limit)!;
  return `${Math.floor(elapsed / size)}${unit} ago`;
}
