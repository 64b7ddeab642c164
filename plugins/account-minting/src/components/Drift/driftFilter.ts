import {
  DRIFT_LAYERS,
  DriftFilter,
  DriftFinding,
  DriftLayer,
  FindingResolution,
  isOneOf,
} from '@regional-minting/plugin-account-minting-common';

/** The states a finding may be in, and those a filter may ask for: `resolved` is repaired or fixed. */
export const FINDING_STATES = [
  'open',
  'repaired',
  'fixed',
  'resolved',
  'all',
] as const;

export type FindingState = (typeof FINDING_STATES)[number];

/**
 * The list's filters as the address says them: the backend's, with finer states, and the
 * finding a link (such as a notification's) points at, which the view shows first, opened.
 */
export interface DriftViewFilter {
  state: FindingState;
  layer?: DriftLayer;
  region?: string;
  environment?: string;
  finding?: string;
}

const RESOLUTIONS: readonly FindingResolution[] = ['repaired', 'fixed'];

/** The filter that the search parameters `state` (open when absent), `layer`, `region`, `environment` and `finding` say. */
export function driftFilterOf(params: URLSearchParams): DriftViewFilter {
  const state = params.get('state');
  const layer = params.get('layer');
  return {
    state: isOneOf(FINDING_STATES, state) ? state : 'open',
    layer: isOneOf(DRIFT_LAYERS, layer) ? layer : undefined,
    region: params.get('region') || undefined,
    environment: params.get('environment') || undefined,
    finding: params.get('finding') || undefined,
  };
}

/** What the filter narrows the findings to besides their state, as the URL and the backend both say it. */
function narrowingOf(filter: DriftViewFilter): Omit<DriftFilter, 'status'> {
  const narrowing: Omit<DriftFilter, 'status'> = {};
  if (filter.layer) narrowing.layer = filter.layer;
  if (filter.region) narrowing.region = filter.region;
  if (filter.environment) narrowing.environment = filter.environment;
  return narrowing;
}

export function searchParamsOf(
  filter: DriftViewFilter,
): Record<string, string> {
  return {
    ...(filter.state !== 'open' ? { state: filter.state } : {}),
    ...narrowingOf(filter),
    ...(filter.finding ? { finding: filter.finding } : {}),
  };
}

/** What the backend is asked for: it tells open from resolved; repaired from fixed is told here. */
export function backendFilterOf(filter: DriftViewFilter): DriftFilter {
  const narrowing = narrowingOf(filter);
  if (filter.state === 'all') return narrowing;
  return {
    status: filter.state === 'open' ? 'open' : 'resolved',
    ...narrowing,
  };
}

export function isOpen(finding: DriftFinding): boolean {
  return !finding.resolvedAt;
}

/**
 * The findings the filter shows, out of those the backend answered: of the state asked
 * for, with the linked finding first so that it shows on the first page.
 */
export function shownFindings(
  findings: DriftFinding[],
  filter: DriftViewFilter,
): DriftFinding[] {
  const { state } = filter;
  const matching = isOneOf(RESOLUTIONS, state)
    ? findings.filter(f => f.resolution === state)
    : findings;
  const linked = matching.filter(f => f.id === filter.finding);
  return [...linked, ...matching.filter(f => f.id !== filter.finding)];
}
