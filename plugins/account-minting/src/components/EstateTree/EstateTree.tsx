import {
  EmptyState,
  LinkButton,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import {
  AccountMintingApi,
  DriftFinding,
  Estate,
} from '@regional-minting/plugin-account-minting-common';
import Button from '@material-ui/core/Button';
import Typography from '@material-ui/core/Typography';
import { memo, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { FixedSizeList, ListChildComponentProps } from 'react-window';
import { accountMintingApiRef } from '../../api';
import { useMintingPaths } from '../shared/paths';
import { ago, fullTime, isUnderWay } from '../shared/time';
import { useLiveValue } from '../shared/useLiveValue';
import { keyedValueCache } from '../shared/valueCache';
import { EstateColumns, EstateRow, ROW_HEIGHT } from './EstateRow';
import { EstateToolbar } from './EstateToolbar';
import { useElementHeight } from './useElementHeight';
import { useTreeFilter } from './useTreeFilter';
import { useTreeKeyboard } from './useTreeKeyboard';
import {
  buildEstateTree,
  driftByNode,
  EstateNode,
  initiallyExpanded,
  NodeDrift,
  Rollup,
  rollUp,
  TreeRow,
  visibleRows,
} from './estateModel';

// The tree fills the window below the page's header, tabs and filters, and no more than its rows need.
const CHROME_HEIGHT = 360;
const TREE_MIN_HEIGHT = 400;

function treeHeightStyle(rowCount: number): string {
  return `min(${
    rowCount * ROW_HEIGHT
  }px, max(100vh - ${CHROME_HEIGHT}px, ${TREE_MIN_HEIGHT}px))`;
}

/** What the tree's height style comes to, for the list's first drawing before its container is measured. */
function treeHeightGuess(rowCount: number): number {
  return Math.min(
    rowCount * ROW_HEIGHT,
    Math.max(window.innerHeight - CHROME_HEIGHT, TREE_MIN_HEIGHT),
  );
}

/**
 * The last estate and open findings of each API client, kept while the tree is not
 * shown: back on its tab, the tree draws them at once and reads them again behind it.
 */
const estateCacheOf = keyedValueCache<AccountMintingApi, Estate>();
const findingsCacheOf = keyedValueCache<AccountMintingApi, DriftFinding[]>();
/** And which of the tree's nodes were open. */
const expansionCacheOf = keyedValueCache<AccountMintingApi, Set<string>>();

/** The tree of each estate, built once however often it is drawn again. */
const trees = new WeakMap<Estate, EstateNode[]>();
function treeOf(estate: Estate): EstateNode[] {
  let tree = trees.get(estate);
  if (!tree) {
    tree = buildEstateTree(estate);
    trees.set(estate, tree);
  }
  return tree;
}

/** What of a tree needs attention: its nodes' open findings, and what each holds that drifted or failed. */
interface Attention {
  drift: Map<string, NodeDrift>;
  rollups: Map<string, Rollup>;
}
const NO_FINDINGS: DriftFinding[] = [];
/** Worked out once per tree and findings, as the tree is built once per estate. */
const attentions = new WeakMap<
  EstateNode[],
  WeakMap<DriftFinding[], Attention>
>();
function attentionOf(
  tree: EstateNode[],
  findings: DriftFinding[] = NO_FINDINGS,
): Attention {
  let byFindings = attentions.get(tree);
  if (!byFindings) {
    byFindings = new WeakMap();
    attentions.set(tree, byFindings);
  }
  let attention = byFindings.get(findings);
  if (!attention) {
    const drift = driftByNode(tree, findings);
    attention = { drift, rollups: rollUp(tree, drift) };
    byFindings.set(findings, attention);
  }
  return attention;
}

/** Open findings for the tree's badges; without them (an older backend, an error) the tree shows none. */
async function openFindings(api: AccountMintingApi): Promise<DriftFinding[]> {
  try {
    return await api.listFindings({ status: 'open' });
  } catch {
    return [];
  }
}

/** What the rows of the list draw from. */
interface RowsData {
  rows: TreeRow[];
  drift: Map<string, NodeDrift>;
  rollups: Map<string, Rollup>;
  onToggle(id: string): void;
  /** The row that the keyboard is on. */
  activeId?: string;
}

/**
 * A row of the list. Declared once, not inline, so that the list keeps its rows (and
 * whatever in them is being clicked) when the tree draws again, and redraws a row only
 * when what it shows changed.
 */
function DrawnRow(props: ListChildComponentProps<RowsData>) {
  const { index, style, data } = props;
  const row = data.rows[index];
  return (
    <EstateRow
      row={row}
      style={style}
      onToggle={data.onToggle}
      active={row.node.id === data.activeId}
      drift={data.drift.get(row.node.id)}
      rollup={data.rollups.get(row.node.id)}
    />
  );
}
const ListRow = memo(DrawnRow);

/** Whether a run is under way somewhere in the estate, so that it is worth following. */
function hasActiveRun(estate: Estate): boolean {
  const active = isUnderWay;
  return estate.payers.some(p =>
    p.environments.some(e =>
      e.regions.some(
        r =>
          active(r.lastRun?.status) ||
          r.accounts.some(a =>
            Object.values(a.lastRuns).some(l => active(l?.status)),
          ),
      ),
    ),
  );
}

function descendantIds(nodes: EstateNode[], into = new Set<string>()) {
  for (const node of nodes) {
    if (node.children.length > 0) {
      into.add(node.id);
      descendantIds(node.children, into);
    }
  }
  return into;
}

/** The estate of every payer as one tree, with its statuses, filters and counts. */
export function EstateTree() {
  const api = useApi(accountMintingApiRef);
  const paths = useMintingPaths();
  const forceRefresh = useRef(false);
  const [estateCache, findingsCache, expansionCache] = useMemo(
    () =>
      [
        estateCacheOf(api),
        findingsCacheOf(api),
        expansionCacheOf(api),
      ] as const,
    [api],
  );
  const estate = useLiveValue(
    () => {
      const refresh = forceRefresh.current;
      forceRefresh.current = false;
      return api.getEstate({ refresh });
    },
    [api],
    {
      intervalMs: 5000,
      live: hasActiveRun,
      // A finished run changed AWS.
      reloadOn: signal => signal.type === 'run',
      cache: estateCache,
    },
  );
  // Read beside the estate, so that the tree does not wait for its badges.
  const openDrift = useLiveValue(() => openFindings(api), [api], {
    intervalMs: 5000,
    live: () => false,
    reloadOn: signal => signal.type === 'findings',
    cache: findingsCache,
  });
  const tree = useMemo(
    () => (estate.value ? treeOf(estate.value) : []),
    [estate.value],
  );
  const { drift, rollups } = attentionOf(tree, openDrift.value);
  // What was open stays open across tab switches; a first tree opens its payers and environments at once.
  const [expanded, setExpanded] = useState<Set<string> | undefined>(
    () =>
      expansionCache.get() ??
      (tree.length > 0 ? initiallyExpanded(tree) : undefined),
  );
  useEffect(() => {
    if (expanded) expansionCache.set(expanded);
  }, [expanded, expansionCache]);
  // The list follows its container, which follows the window.
  const [treeRef, treeHeight] = useElementHeight();
  useEffect(() => {
    if (!expanded && tree.length > 0) setExpanded(initiallyExpanded(tree));
  }, [tree, expanded]);
  const filter = useTreeFilter();
  const rows = useMemo(
    () =>
      visibleRows(tree, expanded ?? new Set(), {
        query: filter.query,
        statuses: filter.statuses,
        drifted: node => drift.has(node.id),
      }),
    [tree, expanded, filter.query, filter.statuses, drift],
  );
  const toggle = useCallback(
    (id: string) =>
      setExpanded(current => {
        const next = new Set(current);
        if (next.has(id)) next.delete(id);
        else next.add(id);
        return next;
      }),
    [],
  );
  const navigate = useNavigate();
  const list = useRef<FixedSizeList<RowsData>>(null);
  const keyboard = useTreeKeyboard({
    rows,
    onToggle: toggle,
    // As a click on its name does; a node with no view of its own opens or closes.
    onOpen: ({ node, expandable }) => {
      if (node.kind === 'account') navigate(paths.account(node.name));
      else if (node.kind === 'region' && node.region?.desired) {
        navigate(paths.region(node.name));
      } else if (expandable) toggle(node.id);
    },
    scrollToRow: index => list.current?.scrollToItem(index),
  });
  // Whether the active row is drawn: if not, the tree itself takes Tab's stop.
  const [drawn, setDrawn] = useState({ from: 0, to: -1 });
  const activeDrawn =
    keyboard.activeIndex >= drawn.from && keyboard.activeIndex <= drawn.to;
  const rowsData = useMemo<RowsData>(
    () => ({
      rows,
      drift,
      rollups,
      onToggle: toggle,
      activeId: keyboard.activeId,
    }),
    [rows, drift, rollups, toggle, keyboard.activeId],
  );

  if (estate.loading) return <Progress />;
  if (!estate.value) {
    return (
      <ResponseErrorPanel
        title="The estate could not be read from the account-minting backend"
        error={estate.error ?? new Error('no answer')}
      />
    );
  }
  if (estate.value.payers.length === 0) {
    return (
      <EmptyState
        missing="data"
        title="No payers configured"
        description="Declare the payer accounts under accountMinting.payers and their environments under accountMinting.environments in app-config.yaml, then restart the backend."
      />
    );
  }
  const totalAccounts = tree.reduce((n, p) => n + p.accountCount, 0);
  const totalRegions = estate.value.payers.reduce(
    (n, p) => n + p.environments.reduce((m, e) => m + e.regions.length, 0),
    0,
  );

  return (
    <>
      <EstateToolbar
        query={filter.query}
        statuses={filter.statuses}
        onChange={filter.update}
        onQueryDone={filter.flush}
        onExpandAll={() => setExpanded(descendantIds(tree))}
        onCollapseAll={() => setExpanded(new Set())}
        onRefresh={() => {
          forceRefresh.current = true;
          estate.reload();
          openDrift.reload();
        }}
      />
      <Typography variant="body2" color="textSecondary" gutterBottom>
        {estate.value.payers.length} payers, {totalRegions} region OUs,{' '}
        {totalAccounts} accounts under {estate.value.platformOu}; read from AWS{' '}
        <span title={fullTime(estate.value.observedAt)}>
          {ago(estate.value.observedAt)}
        </span>
        {estate.error && ` (the last refresh failed: ${estate.error.message})`}
      </Typography>
      {totalRegions === 0 && (
        <EmptyState
          missing="content"
          title="No regions yet"
          description="No region is declared in configuration or requested. Request one and its accounts will show here as they are minted."
          action={
            <LinkButton
              to={paths.newRegion}
              variant="contained"
              color="primary"
            >
              Request a region
            </LinkButton>
          }
        />
      )}
      {rows.length === 0 ? (
        <EmptyState
          missing="data"
          title="Nothing matches the filter"
          action={
            <Button
              variant="outlined"
              onClick={() => filter.update({ query: '', statuses: [] })}
            >
              Clear the filter
            </Button>
          }
        />
      ) : (
        <>
          <EstateColumns />
          <div
            role="tree"
            aria-label="Estate"
            ref={treeRef}
            style={{ height: treeHeightStyle(rows.length) }}
            tabIndex={activeDrawn ? -1 : 0}
            onKeyDown={keyboard.onKeyDown}
            onFocus={keyboard.onFocus}
          >
            <FixedSizeList<RowsData>
              ref={list}
              height={treeHeight || treeHeightGuess(rows.length)}
              width="100%"
              itemCount={rows.length}
              itemSize={ROW_HEIGHT}
              itemData={rowsData}
              itemKey={(index, data) => data.rows[index].node.id}
              onItemsRendered={({ overscanStartIndex, overscanStopIndex }) =>
                setDrawn({ from: overscanStartIndex, to: overscanStopIndex })
              }
            >
              {ListRow}
            </FixedSizeList>
          </div>
        </>
      )}
    </>
  );
}
