import {
  CheckedPipeline,
  CHECKED_PIPELINES,
  DriftFinding,
  Estate,
  EstateAccount,
  EstateLastRun,
  EstateRegion,
} from '@regional-minting/plugin-account-minting-common';
import { DisplayStatus } from '../shared/StatusLabel';

/** The pipelines each account goes through, in order: the design's three, each with its drift check. */
export const ACCOUNT_PIPELINES: readonly CheckedPipeline[] = CHECKED_PIPELINES;

/** Statuses from the one that most needs attention: how nodes sum up their children, and in what order. */
export const STATUS_SEVERITY: DisplayStatus[] = [
  'failed',
  'blocked',
  'running',
  'queued',
  'pending',
  'missing',
  'unmanaged',
  'cancelled',
  'never',
  'succeeded',
  'closed',
];

function worstOf(statuses: DisplayStatus[]): DisplayStatus | undefined {
  return STATUS_SEVERITY.find(s => statuses.includes(s));
}

/** AWS's statuses of an account being closed or closed: it is on its way out, whatever its runs did. */
const CLOSED_STATUSES = ['SUSPENDED', 'PENDING_CLOSURE'];

export function isClosed(account: EstateAccount): boolean {
  return CLOSED_STATUSES.includes(account.status ?? '');
}

/** An account at a glance: closed, else what is wrong with it first, else how its pipelines went. */
export function accountStatus(account: EstateAccount): DisplayStatus {
  if (isClosed(account)) return 'closed';
  if (!account.desired) return 'unmanaged';
  const results = ACCOUNT_PIPELINES.map(p => account.lastRuns[p])
    .filter((r): r is EstateLastRun => Boolean(r))
    .map(r => r.status);
  const worst = worstOf(results);
  if (!account.observed) {
    // Not in AWS yet: being minted, failed to be, or waiting for a run.
    return worst && worst !== 'succeeded' ? worst : 'missing';
  }
  return worst ?? 'never';
}

/** A region at a glance: desired against observed, then its last run. */
function regionStatus(region: EstateRegion): DisplayStatus {
  if (!region.desired) return 'unmanaged';
  const run = region.lastRun?.status as DisplayStatus | undefined;
  if (run && run !== 'succeeded') return run;
  if (!region.observed) return 'missing';
  return run ?? 'never';
}

/** A closed OU is a payer's, beside its environments: where decommissioned accounts wait until AWS removes them. */
export type NodeKind =
  | 'payer'
  | 'environment'
  | 'region'
  | 'closed-ou'
  | 'account';

/** A node of the estate tree, with what it sums up of the accounts below it. */
export interface EstateNode {
  id: string;
  kind: NodeKind;
  name: string;
  depth: number;
  /** None for a payer or environment with no region OU, which has nothing to show. */
  status?: DisplayStatus;
  /** The accounts below it (itself for an account), by status. */
  counts: Partial<Record<DisplayStatus, number>>;
  accountCount: number;
  /** Lower-case text that a filter's words are looked for in. */
  text: string;
  children: EstateNode[];
  payerError?: string;
  /** The declared service control policies attached to its OU. */
  policies?: string[];
  region?: EstateRegion;
  account?: EstateAccount;
}

function sumCounts(children: EstateNode[]) {
  const counts: Partial<Record<DisplayStatus, number>> = {};
  let accountCount = 0;
  for (const child of children) {
    accountCount += child.accountCount;
    for (const [status, n] of Object.entries(child.counts)) {
      const key = status as DisplayStatus;
      counts[key] = (counts[key] ?? 0) + n!;
    }
  }
  return { counts, accountCount };
}

function parentNode(
  base: Pick<EstateNode, 'id' | 'kind' | 'name' | 'depth' | 'text'>,
  children: EstateNode[],
  ownStatus?: DisplayStatus,
): EstateNode {
  const { counts, accountCount } = sumCounts(children);
  const statuses = Object.keys(counts) as DisplayStatus[];
  return {
    ...base,
    children,
    counts,
    accountCount,
    status: worstOf(ownStatus ? [ownStatus, ...statuses] : statuses),
  };
}

function accountNode(
  account: EstateAccount,
  parentId: string,
  depth: number,
): EstateNode {
  const status = accountStatus(account);
  return {
    id: `${parentId}/${account.name}`,
    kind: 'account',
    name: account.name,
    depth,
    status,
    counts: { [status]: 1 },
    accountCount: 1,
    text: [
      account.name,
      account.id,
      account.email,
      account.role,
      account.status,
      // A tag is found by its value, its key, or key=value, as AWS writes them.
      ...Object.entries(account.tags).flatMap(([key, value]) => [
        value,
        key,
        `${key}=${value}`,
      ]),
    ]
      .filter(Boolean)
      .join(' ')
      .toLowerCase(),
    children: [],
    account,
  };
}

/** The estate as a tree of nodes: payers, environments and closed OUs, region OUs, accounts. */
export function buildEstateTree(estate: Estate): EstateNode[] {
  return estate.payers.map(payer => {
    const payerId = `payer:${payer.name}`;
    const environments = payer.environments.map(environment => {
      const envId = `${payerId}/${environment.name}`;
      const regions = environment.regions.map(region => {
        const regionId = `${envId}/${region.name}`;
        const accounts = region.accounts.map(account =>
          accountNode(account, regionId, 3),
        );
        return {
          ...parentNode(
            {
              id: regionId,
              kind: 'region',
              name: region.name,
              depth: 2,
              text: [
                region.name,
                region.region,
                region.owner,
                region.id,
                ...(region.policies ?? []),
              ]
                .filter(Boolean)
                .join(' ')
                .toLowerCase(),
            },
            accounts,
            regionStatus(region),
          ),
          policies: region.policies,
          region,
        };
      });
      return {
        ...parentNode(
          {
            id: envId,
            kind: 'environment',
            name: environment.name,
            depth: 1,
            text: environment.name.toLowerCase(),
          },
          regions,
        ),
        policies: environment.policies,
      };
    });
    const closedId = `${payerId}/closed:${payer.closedOu?.name}`;
    const closedOu = payer.closedOu && {
      ...parentNode(
        {
          id: closedId,
          kind: 'closed-ou' as const,
          name: payer.closedOu.name,
          depth: 1,
          text: payer.closedOu.name.toLowerCase(),
        },
        payer.closedOu.accounts.map(account =>
          accountNode(account, closedId, 2),
        ),
      ),
    };
    return {
      ...parentNode(
        {
          id: payerId,
          kind: 'payer',
          name: payer.name,
          depth: 0,
          text: `${payer.name} ${payer.accountId}`.toLowerCase(),
        },
        closedOu ? [...environments, closedOu] : environments,
        payer.error ? 'failed' : undefined,
      ),
      payerError: payer.error,
      policies: payer.platformOu.policies,
    };
  });
}

/** What the tree's status filter offers: the statuses, and open drift. */
export type StatusFilter = DisplayStatus | 'drift';

/** The statuses the tree can be filtered by. */
export const STATUS_FILTERS: StatusFilter[] = [
  'failed',
  'running',
  'pending',
  'missing',
  'unmanaged',
  'never',
  'succeeded',
  'closed',
  'drift',
];

export interface TreeFilter {
  /** Words that must all appear in a node or its ancestors. */
  query: string;
  /** Account statuses to show, and `drift` for nodes with open findings; none means all. */
  statuses: StatusFilter[];
  /** Whether a node has open drift findings; none has without it. */
  drifted?: (node: EstateNode) => boolean;
}

/** A row of the tree as shown: its node and whether it is open. */
export interface TreeRow {
  node: EstateNode;
  expanded: boolean;
  expandable: boolean;
}

/**
 * The rows to draw, in order. Without a filter, a node's children show when it is
 * expanded. With one, a branch holding a match opens by itself and shows only its
 * matches; a match with nothing matching below it shows as the user left it.
 */
export function visibleRows(
  roots: EstateNode[],
  expanded: ReadonlySet<string>,
  filter: TreeFilter,
): TreeRow[] {
  const words = filter.query.toLowerCase().split(/\s+/).filter(Boolean);
  const statuses = new Set<StatusFilter>(filter.statuses);
  if (words.length === 0 && statuses.size === 0) {
    const rows: TreeRow[] = [];
    roots.forEach(root => allRows(root, expanded, rows));
    return rows;
  }
  const drifted = statuses.has('drift') ? filter.drifted : undefined;
  // Accounts match on their status; regions and payers too, as a region not in
  // AWS yet has no account to match. An environment only sums up its regions.
  const statusMatches = (node: EstateNode) =>
    statuses.size === 0 ||
    (node.kind !== 'environment' &&
      ((node.status !== undefined && statuses.has(node.status)) ||
        drifted?.(node) === true));

  const visit = (node: EstateNode, inherited: string): TreeRow[] => {
    const text = `${inherited} ${node.text}`;
    const below = node.children.flatMap(child => visit(child, text));
    if (below.length > 0) {
      // Opened by the filter, not by the user: it shows its matches until the filter changes.
      return [{ node, expanded: true, expandable: false }, ...below];
    }
    const matches = words.every(w => text.includes(w)) && statusMatches(node);
    return matches ? allRows(node, expanded) : [];
  };
  return roots.flatMap(root => visit(root, ''));
}

/** A subtree's rows by the expanded set alone, added to `rows` (one array for thousands of rows). */
function allRows(
  node: EstateNode,
  expanded: ReadonlySet<string>,
  rows: TreeRow[] = [],
): TreeRow[] {
  const open = expanded.has(node.id);
  rows.push({ node, expanded: open, expandable: node.children.length > 0 });
  if (open) node.children.forEach(c => allRows(c, expanded, rows));
  return rows;
}

/** Nodes open at first: payers and environments, and regions too when the estate is small. */
export function initiallyExpanded(roots: EstateNode[]): Set<string> {
  const open = new Set<string>();
  const total = roots.reduce((n, r) => n + r.accountCount, 0);
  const walk = (node: EstateNode) => {
    if (
      node.kind === 'payer' ||
      node.kind === 'environment' ||
      (node.kind === 'region' && total <= 60)
    ) {
      open.add(node.id);
    }
    node.children.forEach(walk);
  };
  roots.forEach(walk);
  return open;
}

/** A node's open drift findings, and the region they are listed under. */
export interface NodeDrift {
  count: number;
  region: string;
}

/**
 * The open findings of each region node (all of the region's, with or without an
 * account) and of each account node, by node id. The findings are indexed once so
 * that a tree of thousands of accounts is not searched per row.
 */
export function driftByNode(
  roots: EstateNode[],
  findings: DriftFinding[],
): Map<string, NodeDrift> {
  const byRegion = new Map<string, number>();
  const byAccount = new Map<string, number>();
  const add = (map: Map<string, number>, key: string) =>
    map.set(key, (map.get(key) ?? 0) + 1);
  for (const finding of findings) {
    add(byRegion, finding.region);
    if (finding.account) add(byAccount, `${finding.region}/${finding.account}`);
  }
  const drift = new Map<string, NodeDrift>();
  const countOf = (node: EstateNode, region: string) => {
    if (node.kind === 'region') return byRegion.get(region);
    if (node.kind === 'account') return byAccount.get(`${region}/${node.name}`);
    return undefined;
  };
  const walk = (node: EstateNode, parentRegion: string) => {
    const region = node.kind === 'region' ? node.name : parentRegion;
    const count = countOf(node, region);
    if (count) drift.set(node.id, { count, region });
    node.children.forEach(child => walk(child, region));
  };
  roots.forEach(root => walk(root, ''));
  return drift;
}

/** How many of a node's subtree (itself included) drifted or failed in their own right. */
export interface Rollup {
  drifted: number;
  failed: number;
}

const FAILED: (string | undefined)[] = ['failed', 'blocked'];

/**
 * What each payer, environment, closed OU and region OU holds that needs attention, by
 * node id (none for a node with nothing to show): an account counts when it has open
 * findings or its pipelines failed; a region OU when it has findings on no account, or
 * when its run failed with no failed account to show for it. Computed once per tree
 * and findings, so that a row reads its counts rather than walking thousands of accounts.
 */
export function rollUp(
  roots: EstateNode[],
  drift: ReadonlyMap<string, NodeDrift>,
): Map<string, Rollup> {
  const rollups = new Map<string, Rollup>();
  const walk = (node: EstateNode): Rollup => {
    const own = drift.get(node.id)?.count ?? 0;
    if (node.kind === 'account') {
      return {
        drifted: own > 0 ? 1 : 0,
        failed: FAILED.includes(node.status) ? 1 : 0,
      };
    }
    const below = node.children.map(walk);
    const sum = (key: keyof Rollup) => below.reduce((n, r) => n + r[key], 0);
    let drifted = sum('drifted');
    let failed = sum('failed');
    if (node.kind === 'region') {
      const onAccounts = node.children.reduce(
        (n, child) => n + (drift.get(child.id)?.count ?? 0),
        0,
      );
      if (own > onAccounts) drifted += 1;
      if (failed === 0 && FAILED.includes(node.region?.lastRun?.status)) {
        failed = 1;
      }
    }
    const rollup = { drifted, failed };
    if (drifted > 0 || failed > 0) rollups.set(node.id, rollup);
    return rollup;
  };
  roots.forEach(walk);
  return rollups;
}
