import { useAnalytics } from '@backstage/frontend-plugin-api';
import { makeStyles } from '@material-ui/core/styles';
import ChevronRight from '@material-ui/icons/ChevronRight';
import ExpandMore from '@material-ui/icons/ExpandMore';
import { CSSProperties, ReactNode } from 'react';
import { Link as RouterLink } from 'react-router-dom';
import {
  CheckedPipeline,
  EstateLastRun,
} from '@regional-minting/plugin-account-minting-common';
import { ago, compactAgo, fullTime } from '../shared/time';
import { useMintingPaths } from '../shared/paths';
import { StatusLabel, statusWord } from '../shared/StatusLabel';
import {
  ACCOUNT_PIPELINES,
  EstateNode,
  NodeDrift,
  Rollup,
  STATUS_SEVERITY,
  TreeRow,
} from './estateModel';

export const ROW_HEIGHT = 44;
const INDENT = 24;
/*
 * Fixed columns, so that the same thing lines up on every row and an account's
 * pipelines fit beside its name from 1280 px wide, the sidebar open. The name column
 * ends at the same place at every depth.
 */
const NAME_END = 270;
const COLUMNS = { toggle: 28, kind: 92, status: 112, id: 104, pipeline: 88 };
const fixed = (width: number) => ({
  width,
  flex: 'none',
  overflow: 'hidden',
  textOverflow: 'ellipsis',
});

// Rows draw plain elements styled once, not MUI's Chip, IconButton and Typography:
// the tree draws dozens of rows on every scroll and keystroke.
const useStyles = makeStyles(theme => ({
  row: {
    ...theme.typography.body2,
    display: 'flex',
    alignItems: 'center',
    gap: theme.spacing(1),
    borderBottom: `1px solid ${theme.palette.divider}`,
    boxSizing: 'border-box',
    whiteSpace: 'nowrap',
    overflow: 'hidden',
  },
  toggle: fixed(COLUMNS.toggle),
  toggleButton: {
    display: 'inline-flex',
    padding: 2,
    border: 0,
    borderRadius: '50%',
    background: 'none',
    color: theme.palette.action.active,
    cursor: 'pointer',
    '&:hover': { backgroundColor: theme.palette.action.hover },
    '& svg': { fontSize: '1.25rem' },
  },
  chip: {
    display: 'inline-block',
    padding: '2px 8px',
    borderRadius: 12,
    fontSize: '0.8125rem',
    lineHeight: '18px',
    backgroundColor: theme.palette.secondary.main,
    color: theme.palette.secondary.contrastText,
  },
  name: { ...fixed(0), fontWeight: 500 },
  kind: {
    ...fixed(COLUMNS.kind),
    color: theme.palette.text.secondary,
    textTransform: 'uppercase',
    fontSize: '0.7rem',
  },
  status: fixed(COLUMNS.status),
  id: { ...fixed(COLUMNS.id), color: theme.palette.text.secondary },
  detail: { color: theme.palette.text.secondary },
  pipeline: fixed(COLUMNS.pipeline),
  header: {
    display: 'flex',
    gap: theme.spacing(1),
    whiteSpace: 'nowrap',
    color: theme.palette.text.secondary,
    fontSize: '0.75rem',
  },
  error: { color: theme.palette.error.main },
  failed: {
    display: 'inline-block',
    padding: '2px 8px',
    borderRadius: 12,
    fontSize: '0.8125rem',
    lineHeight: '18px',
    backgroundColor: theme.palette.error.main,
    color: theme.palette.error.contrastText,
  },
  // Closed accounts and the closed OU are on their way out of AWS: there, but faded.
  closed: { opacity: 0.5 },
  // As the portal's links look (MUI's Link, underlined on hover).
  link: {
    color: theme.palette.primary.main,
    textDecoration: 'none',
    '&:hover': { textDecoration: 'underline' },
  },
}));

/**
 * A link of a row, out of Tab's order (the tree is one stop), its click counted as
 * Backstage's Link counts it. Backstage's Link costs more per draw (a router check and
 * two styled MUI components) than rows drawn by the dozen on every scroll can pay.
 */
function RowLink(props: {
  to: string;
  title?: string;
  'aria-label'?: string;
  children: ReactNode;
}) {
  const classes = useStyles();
  const analytics = useAnalytics();
  const { to, ...rest } = props;
  const text = typeof props.children === 'string' ? props.children : to;
  const subject = props['aria-label'] ?? props.title ?? text;
  return (
    <RouterLink
      {...rest}
      to={to}
      tabIndex={-1}
      className={classes.link}
      onClick={() =>
        analytics.captureEvent('click', subject, { attributes: { to } })
      }
    />
  );
}

const KIND_WORDS = {
  payer: 'payer',
  environment: 'environment',
  region: 'region OU',
  'closed-ou': 'closed OU',
  account: 'account',
};

/** `12 accounts: 2 failed, 10 succeeded`, what a collapsed node holds. */
export function countsSummary(node: EstateNode): string {
  if (node.accountCount === 0) return 'no accounts';
  const parts = STATUS_SEVERITY.filter(s => node.counts[s]).map(
    s => `${node.counts[s]} ${statusWord(s)}`,
  );
  return `${node.accountCount} account${
    node.accountCount === 1 ? '' : 's'
  }: ${parts.join(', ')}`;
}

/** What a pipeline's cell says in full, on hover and to a screen reader. */
function pipelineDescription(
  pipeline: CheckedPipeline,
  result: EstateLastRun | undefined,
): string {
  if (!result) return `${pipeline} never run`;
  const when = result.finishedAt
    ? `, finished ${fullTime(result.finishedAt)}`
    : result.startedAt && `, started ${fullTime(result.startedAt)}`;
  return `${pipeline} ${statusWord(result.status)}${when ?? ''}, run ${
    result.runId
  }`;
}

/** A pipeline's column: its last result's icon and how long ago, linking to its run. */
function PipelineCell(props: {
  pipeline: CheckedPipeline;
  result?: EstateLastRun;
  now: number;
}) {
  const classes = useStyles();
  const paths = useMintingPaths();
  const { pipeline, result } = props;
  const description = pipelineDescription(pipeline, result);
  const when = result && (result.finishedAt ?? result.startedAt);
  return (
    <span className={classes.pipeline} title={description}>
      {result ? (
        <RowLink to={paths.run(result.runId)} aria-label={description}>
          <StatusLabel status={result.status}>
            {when ? compactAgo(when, props.now) : statusWord(result.status)}
          </StatusLabel>
        </RowLink>
      ) : (
        <StatusLabel status="never">never</StatusLabel>
      )}
    </span>
  );
}

function AccountDetails(props: { node: EstateNode }) {
  const classes = useStyles();
  const account = props.node.account!;
  const now = Date.now();
  return (
    <>
      <span className={classes.id}>{account.id ?? 'no id yet'}</span>
      {ACCOUNT_PIPELINES.map(pipeline => (
        <PipelineCell
          key={pipeline}
          pipeline={pipeline}
          result={account.lastRuns[pipeline]}
          now={now}
        />
      ))}
    </>
  );
}

/** The names of the columns of the rows below it, over the same places. */
export function EstateColumns() {
  const classes = useStyles();
  return (
    <div className={classes.header} aria-hidden="true">
      <span style={fixed(COLUMNS.toggle + COLUMNS.kind + NAME_END + 16)}>
        name
      </span>
      <span className={classes.status}>status</span>
      <span className={classes.id}>account id</span>
      {ACCOUNT_PIPELINES.map(pipeline => (
        <span key={pipeline} className={classes.pipeline}>
          {pipeline}
        </span>
      ))}
    </div>
  );
}

function RegionDetails(props: { node: EstateNode; expanded: boolean }) {
  const classes = useStyles();
  const paths = useMintingPaths();
  const region = props.node.region!;
  const where = [
    region.desired ? 'desired' : 'not desired',
    region.observed ? 'in AWS' : 'not in AWS',
  ].join(', ');
  return (
    <>
      <span className={classes.detail}>
        {[region.region, region.owner && `owner ${region.owner}`, where]
          .filter(Boolean)
          .join(' · ')}
      </span>
      {region.problem && (
        <span className={classes.error} title={region.problem}>
          not minted: {region.problem}
        </span>
      )}
      {region.lastRun && (
        <RowLink to={paths.run(region.lastRun.runId)}>
          last run {region.lastRun.status}{' '}
          {ago(region.lastRun.finishedAt ?? region.lastRun.startedAt) ?? ''}
        </RowLink>
      )}
      {!props.expanded && (
        <span className={classes.detail}>{countsSummary(props.node)}</span>
      )}
    </>
  );
}

/** `N drift`, linking to the open findings of the node's region. */
function DriftBadge(props: { drift: NodeDrift }) {
  const classes = useStyles();
  const paths = useMintingPaths();
  const { count, region } = props.drift;
  return (
    <RowLink
      to={`${paths.drift}?region=${encodeURIComponent(region)}`}
      title={`${count} open drift finding${count === 1 ? '' : 's'}`}
    >
      <span className={classes.chip}>{count} drift</span>
    </RowLink>
  );
}

/** Where a node's drift is listed: its region's or environment's findings, else all of them. */
function driftLink(node: EstateNode, drift: string): string {
  if (node.kind === 'region') {
    return `${drift}?region=${encodeURIComponent(node.name)}`;
  }
  if (node.kind === 'environment') {
    return `${drift}?environment=${encodeURIComponent(node.name)}`;
  }
  return drift;
}

/** `2 drifted` and `1 failed`: what below a node needs attention, the drift linking to its findings. */
function RollupChips(props: { node: EstateNode; rollup: Rollup }) {
  const classes = useStyles();
  const paths = useMintingPaths();
  const { node, rollup } = props;
  const below =
    node.kind === 'region' ? 'this region OU and its accounts' : 'below';
  return (
    <>
      {rollup.drifted > 0 && (
        <RowLink
          to={driftLink(node, paths.drift)}
          title={`${rollup.drifted} account${
            rollup.drifted === 1 ? '' : 's'
          } or region OU${
            rollup.drifted === 1 ? '' : 's'
          } with open drift findings, ${below}`}
        >
          <span className={classes.chip}>{rollup.drifted} drifted</span>
        </RowLink>
      )}
      {rollup.failed > 0 && (
        <span
          className={classes.failed}
          title={`${rollup.failed} account${
            rollup.failed === 1 ? '' : 's'
          } or region OU${rollup.failed === 1 ? '' : 's'} failed, ${below}`}
        >
          {rollup.failed} failed
        </span>
      )}
    </>
  );
}

/**
 * One line of the estate tree. Its links and buttons are left out of Tab's order, the
 * tree being one stop whose rows the arrow keys move through and Enter opens.
 */
export function EstateRow(props: {
  row: TreeRow;
  style: CSSProperties;
  onToggle(id: string): void;
  /** Whether the keyboard is on it: the tree's one row that Tab reaches. */
  active: boolean;
  /** The account's open drift findings, when it has some. */
  drift?: NodeDrift;
  /** What below the node drifted or failed, when something did. */
  rollup?: Rollup;
}) {
  const classes = useStyles();
  const paths = useMintingPaths();
  const { node, expanded, expandable } = props.row;
  const closed = node.kind === 'closed-ou' || node.status === 'closed';
  return (
    <div
      role="treeitem"
      aria-level={node.depth + 1}
      aria-selected={props.active}
      tabIndex={props.active ? 0 : -1}
      data-id={node.id}
      aria-expanded={node.children.length > 0 ? expanded : undefined}
      aria-label={node.name}
      data-status={node.status}
      data-closed={closed || undefined}
      className={closed ? `${classes.row} ${classes.closed}` : classes.row}
      style={{ ...props.style, paddingLeft: node.depth * INDENT }}
    >
      <span className={classes.toggle}>
        {expandable && (
          <button
            type="button"
            tabIndex={-1}
            className={classes.toggleButton}
            aria-label={`${expanded ? 'Collapse' : 'Expand'} ${node.name}`}
            onClick={() => props.onToggle(node.id)}
          >
            {expanded ? <ExpandMore /> : <ChevronRight />}
          </button>
        )}
      </span>
      <span className={classes.kind}>{KIND_WORDS[node.kind]}</span>
      <span
        className={classes.name}
        style={{ width: NAME_END - node.depth * INDENT }}
        title={node.name}
      >
        {node.kind === 'account' && (
          <RowLink to={paths.account(node.name)}>{node.name}</RowLink>
        )}
        {node.kind === 'region' && node.region?.desired && (
          <RowLink to={paths.region(node.name)}>{node.name}</RowLink>
        )}
        {!(
          node.kind === 'account' ||
          (node.kind === 'region' && node.region?.desired)
        ) && node.name}
      </span>
      <span className={classes.status}>
        {node.status && (
          <StatusLabel status={node.status}>
            {node.status === 'closed' ? node.account?.status : undefined}
          </StatusLabel>
        )}
      </span>
      {node.kind === 'account' && <AccountDetails node={node} />}
      {node.kind === 'account' && props.drift && (
        <DriftBadge drift={props.drift} />
      )}
      {node.kind !== 'account' && props.rollup && (
        <RollupChips node={node} rollup={props.rollup} />
      )}
      {node.kind === 'region' && (
        <RegionDetails node={node} expanded={expanded} />
      )}
      {(node.kind === 'payer' ||
        node.kind === 'environment' ||
        node.kind === 'closed-ou') && (
        <span className={classes.detail}>{countsSummary(node)}</span>
      )}
      {node.policies && node.policies.length > 0 && (
        <span
          className={classes.detail}
          title={`Service control policies on this ${
            node.kind === 'payer' ? 'platform' : node.kind
          } OU`}
        >
          SCP {node.policies.join(', ')}
        </span>
      )}
      {node.payerError && (
        <span className={classes.error}>{node.payerError}</span>
      )}
    </div>
  );
}
