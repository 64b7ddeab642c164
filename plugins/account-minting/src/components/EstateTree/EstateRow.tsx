import { Link } from '@backstage/core-components';
import Chip from '@material-ui/core/Chip';
import IconButton from '@material-ui/core/IconButton';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import ChevronRight from '@material-ui/icons/ChevronRight';
import ExpandMore from '@material-ui/icons/ExpandMore';
import { CSSProperties } from 'react';
import { ago, fullTime } from '../shared/time';
import { useMintingPaths } from '../shared/paths';
import { StatusLabel, statusWord } from '../shared/StatusLabel';
import {
  ACCOUNT_PIPELINES,
  EstateNode,
  NodeDrift,
  STATUS_SEVERITY,
  TreeRow,
} from './estateModel';

export const ROW_HEIGHT = 44;
const INDENT = 28;
// The name column ends at the same place at every depth, so that statuses line up.
const NAME_END = 420;

const useStyles = makeStyles(theme => ({
  row: {
    display: 'flex',
    alignItems: 'center',
    gap: theme.spacing(1.5),
    borderBottom: `1px solid ${theme.palette.divider}`,
    boxSizing: 'border-box',
    whiteSpace: 'nowrap',
    overflow: 'hidden',
  },
  toggle: { width: 30, flex: 'none' },
  name: {
    fontWeight: 500,
    flex: 'none',
    overflow: 'hidden',
    textOverflow: 'ellipsis',
  },
  kind: {
    color: theme.palette.text.secondary,
    textTransform: 'uppercase',
    fontSize: '0.7rem',
    minWidth: 80,
  },
  detail: { color: theme.palette.text.secondary },
  pipeline: { display: 'inline-flex', alignItems: 'center', minWidth: 150 },
  error: { color: theme.palette.error.main },
  // Closed accounts and the closed OU are on their way out of AWS: there, but faded.
  closed: { opacity: 0.5 },
}));

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

function AccountDetails(props: { node: EstateNode }) {
  const classes = useStyles();
  const paths = useMintingPaths();
  const account = props.node.account!;
  return (
    <>
      <Typography variant="body2" className={classes.detail}>
        {account.id ?? 'no id yet'}
      </Typography>
      {ACCOUNT_PIPELINES.map(pipeline => {
        const result = account.lastRuns[pipeline];
        return (
          <span
            key={pipeline}
            className={classes.pipeline}
            title={
              result
                ? `${pipeline} ${result.status} ${
                    fullTime(result.finishedAt ?? result.startedAt) ?? ''
                  }`
                : `${pipeline} never run`
            }
          >
            {result ? (
              <Link to={paths.run(result.runId)}>
                <StatusLabel status={result.status}>
                  {pipeline} {ago(result.finishedAt ?? result.startedAt) ?? ''}
                </StatusLabel>
              </Link>
            ) : (
              <StatusLabel status="never">{pipeline}</StatusLabel>
            )}
          </span>
        );
      })}
    </>
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
      <Typography variant="body2" className={classes.detail}>
        {[region.region, region.owner && `owner ${region.owner}`, where]
          .filter(Boolean)
          .join(' · ')}
      </Typography>
      {region.problem && (
        <Typography
          variant="body2"
          color="error"
          className={classes.detail}
          title={region.problem}
        >
          not minted: {region.problem}
        </Typography>
      )}
      {region.lastRun && (
        <Link to={paths.run(region.lastRun.runId)}>
          last run {region.lastRun.status}{' '}
          {ago(region.lastRun.finishedAt ?? region.lastRun.startedAt) ?? ''}
        </Link>
      )}
      {!props.expanded && (
        <Typography variant="body2" className={classes.detail}>
          {countsSummary(props.node)}
        </Typography>
      )}
    </>
  );
}

/** `N drift`, linking to the open findings of the node's region. */
function DriftBadge(props: { drift: NodeDrift }) {
  const paths = useMintingPaths();
  const { count, region } = props.drift;
  return (
    <Link
      to={`${paths.drift}?region=${encodeURIComponent(region)}`}
      title={`${count} open drift finding${count === 1 ? '' : 's'}`}
    >
      <Chip size="small" color="secondary" label={`${count} drift`} />
    </Link>
  );
}

/** One line of the estate tree. */
export function EstateRow(props: {
  row: TreeRow;
  style: CSSProperties;
  onToggle(id: string): void;
  /** The node's open drift findings, when it has some. */
  drift?: NodeDrift;
}) {
  const classes = useStyles();
  const paths = useMintingPaths();
  const { node, expanded, expandable } = props.row;
  const closed = node.kind === 'closed-ou' || node.status === 'closed';
  return (
    <div
      role="treeitem"
      aria-level={node.depth + 1}
      aria-selected={false}
      aria-expanded={node.children.length > 0 ? expanded : undefined}
      aria-label={node.name}
      data-status={node.status}
      data-closed={closed || undefined}
      className={closed ? `${classes.row} ${classes.closed}` : classes.row}
      style={{ ...props.style, paddingLeft: node.depth * INDENT }}
    >
      <span className={classes.toggle}>
        {expandable && (
          <IconButton
            size="small"
            aria-label={`${expanded ? 'Collapse' : 'Expand'} ${node.name}`}
            onClick={() => props.onToggle(node.id)}
          >
            {expanded ? <ExpandMore /> : <ChevronRight />}
          </IconButton>
        )}
      </span>
      <span className={classes.kind}>{KIND_WORDS[node.kind]}</span>
      <span
        className={classes.name}
        style={{ width: NAME_END - node.depth * INDENT }}
      >
        {node.kind === 'account' && (
          <Link to={paths.account(node.name)}>{node.name}</Link>
        )}
        {node.kind === 'region' && node.region?.desired && (
          <Link to={paths.region(node.name)}>{node.name}</Link>
        )}
        {!(
          node.kind === 'account' ||
          (node.kind === 'region' && node.region?.desired)
        ) && node.name}
      </span>
      {node.status && (
        <StatusLabel status={node.status}>
          {node.status === 'closed' ? node.account?.status : undefined}
        </StatusLabel>
      )}
      {props.drift && <DriftBadge drift={props.drift} />}
      {node.kind === 'account' && <AccountDetails node={node} />}
      {node.kind === 'region' && (
        <RegionDetails node={node} expanded={expanded} />
      )}
      {(node.kind === 'payer' ||
        node.kind === 'environment' ||
        node.kind === 'closed-ou') && (
        <Typography variant="body2" className={classes.detail}>
          {countsSummary(node)}
        </Typography>
      )}
      {node.policies && node.policies.length > 0 && (
        <Typography
          variant="body2"
          className={classes.detail}
          title={`Service control policies on this ${
            node.kind === 'payer' ? 'platform' : node.kind
          } OU`}
        >
          SCP {node.policies.join(', ')}
        </Typography>
      )}
      {node.payerError && (
        <Typography variant="body2" className={classes.error}>
          {node.payerError}
        </Typography>
      )}
    </div>
  );
}
