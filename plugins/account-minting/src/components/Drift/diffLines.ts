import { DriftFinding } from '@regional-minting/plugin-account-minting-common';

/** One difference of a finding: a key (none for a whole value), what is desired and what AWS has. */
export interface DiffLine {
  key?: string;
  desired: string;
  observed: string;
}

type Record = { [key: string]: unknown };

function isRecord(value: unknown): value is Record {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A side of a diff on one line: text as it is, anything else as JSON. */
function sideText(value: unknown): string {
  if (value === undefined) return '(none)';
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/**
 * The differences of a finding, key by key where its sides are objects (such as tags).
 * Only the desired keys count where there are any: AWS may hold keys nobody manages.
 */
export function diffLines(diff: DriftFinding['diff']): DiffLine[] {
  if (!diff || (diff.expected === undefined && diff.actual === undefined)) {
    return [];
  }
  const { expected, actual } = diff;
  const sidesAreRecords =
    (isRecord(expected) || expected === undefined) &&
    (isRecord(actual) || actual === undefined);
  if (sidesAreRecords) {
    const desired = expected ?? {};
    const observed = actual ?? {};
    const keys = Object.keys(expected ? desired : observed);
    const lines = keys
      .filter(k => JSON.stringify(desired[k]) !== JSON.stringify(observed[k]))
      .map(key => ({
        key,
        desired: sideText(desired[key]),
        observed: sideText(observed[key]),
      }));
    if (lines.length > 0) return lines;
  }
  return [{ desired: sideText(expected), observed: sideText(actual) }];
}

/** A difference as the portal writes it: `key: desired → observed`. */
export function diffLineText(line: DiffLine): string {
  const change = `${line.desired} → ${line.observed}`;
  return line.key === undefined ? change : `${line.key}: ${change}`;
}
