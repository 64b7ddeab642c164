import {
  Link,
  StatusOK,
  StatusWarning,
  TableColumn,
} from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import { usePermission } from '@backstage/plugin-permission-react';
import Box from '@material-ui/core/Box';
import IconButton from '@material-ui/core/IconButton';
import KeyboardArrowDown from '@material-ui/icons/KeyboardArrowDown';
import KeyboardArrowRight from '@material-ui/icons/KeyboardArrowRight';
import {
  accountMintingRunExecutePermission,
  DriftFinding,
} from '@regional-minting/plugin-account-minting-common';
import { createContext, CSSProperties, ReactNode, useContext } from 'react';
import { accountMintingApiRef } from '../../api';
import { GuardedActionButton } from '../shared/changes';
import { MintingPaths } from '../shared/paths';
import { ago, fullTime } from '../shared/time';
import { When } from '../shared/When';
import { AdoptStrayButton } from './AdoptStrayButton';
import { diffLines, diffLineText } from './diffLines';
import { isOpen } from './driftFilter';

/**
 * The width of each column's content, in pixels: fixed, so that a long summary or diff
 * never widens the table past the page. With their padding they fit the page at
 * 1280 px wide beside the open sidebar, so that State and Actions always show.
 */
export const COLUMN_WIDTHS = {
  toggle: 30,
  layer: 112,
  where: 160,
  summary: 200,
  state: 185,
  actions: 200,
};

/** The padding either side of a cell's content. */
export const CELL_PADDING_PX = 8;

/** Which findings show their details, and how to open or close one's. */
export interface Expansion {
  isExpanded(id: string): boolean;
  toggle(id: string): void;
}

/** Given by the view, so that opening a row does not change the columns (which would reset the table). */
export const ExpansionContext = createContext<Expansion>({
  isExpanded: () => false,
  toggle: () => {},
});

// A status's text is a flex item: it keeps to its width with an ellipsis only when told,
// in the table's size rather than the status's larger one.
const STATE_TEXT: CSSProperties = {
  fontSize: '0.875rem',
  minWidth: 0,
  overflow: 'hidden',
  textOverflow: 'ellipsis',
};

/** Content on one line of a fixed width, cut with an ellipsis (the whole of it on hover). */
function OneLine(props: {
  width: number;
  title?: string;
  children: ReactNode;
}) {
  return (
    <Box
      width={props.width}
      overflow="hidden"
      whiteSpace="nowrap"
      textOverflow="ellipsis"
      title={props.title}
    >
      {props.children}
    </Box>
  );
}

function ToggleCell(props: { finding: DriftFinding }) {
  const { isExpanded, toggle } = useContext(ExpansionContext);
  const expanded = isExpanded(props.finding.id);
  return (
    <IconButton
      size="small"
      aria-expanded={expanded}
      aria-label={`Details of ${props.finding.summary}`}
      onClick={() => toggle(props.finding.id)}
    >
      {expanded ? <KeyboardArrowDown /> : <KeyboardArrowRight />}
    </IconButton>
  );
}

/** What differs, key by key, then when the finding was seen and the runs that concern it. */
function FindingDetails(props: { finding: DriftFinding; paths: MintingPaths }) {
  const { finding, paths } = props;
  const lines = diffLines(finding.diff);
  return (
    <Box whiteSpace="normal" mt={1} fontSize="0.8rem">
      {lines.length > 0 && (
        <Box
          component="ul"
          aria-label="Differences (desired → observed)"
          fontFamily="monospace"
          m={0}
          pl={2}
        >
          {lines.map(line => (
            <li key={line.key ?? ''} style={{ overflowWrap: 'anywhere' }}>
              {diffLineText(line)}
            </li>
          ))}
        </Box>
      )}
      <div>
        Region{' '}
        <Link to={`${paths.estate}?q=${encodeURIComponent(finding.region)}`}>
          {finding.region}
        </Link>
        {finding.account ? ', account ' : ' as a whole'}
        {finding.account && (
          <Link to={paths.account(finding.account)}>{finding.account}</Link>
        )}
      </div>
      <div>
        First seen <When iso={finding.firstSeenAt} />, last seen{' '}
        <When iso={finding.lastSeenAt} />
      </div>
      <div>
        <Link to={paths.run(finding.checkRunId)}>check run</Link>
        {finding.repairRunId && (
          <>
            {' · '}
            <Link to={paths.run(finding.repairRunId)}>repair run</Link>
          </>
        )}
      </div>
    </Box>
  );
}

function SummaryCell(props: { finding: DriftFinding; paths: MintingPaths }) {
  const { finding } = props;
  const expanded = useContext(ExpansionContext).isExpanded(finding.id);
  return (
    <Box width={COLUMN_WIDTHS.summary}>
      <OneLine width={COLUMN_WIDTHS.summary} title={finding.summary}>
        {finding.summary}
      </OneLine>
      {expanded && <FindingDetails {...props} />}
    </Box>
  );
}

/** The state's word and, once resolved, when: one text, so that the status's flex layout keeps its space. */
function StateCell(props: { finding: DriftFinding }) {
  const { finding } = props;
  if (isOpen(finding)) return <StatusWarning>open</StatusWarning>;
  const label = finding.resolution ?? 'resolved';
  return (
    <StatusOK>
      <span title={fullTime(finding.resolvedAt)} style={STATE_TEXT}>
        {`${label} ${ago(finding.resolvedAt)}`}
      </span>
    </StatusOK>
  );
}

/** Repairs an open finding, for who may run its pipeline in its environment (through approval where needed). */
function RepairButton(props: { finding: DriftFinding }) {
  const { finding } = props;
  const api = useApi(accountMintingApiRef);
  const { allowed } = usePermission({
    permission: accountMintingRunExecutePermission,
    resourceRef: finding.environment,
  });
  if (!allowed || !isOpen(finding) || !finding.repairable) return null;
  return (
    <GuardedActionButton
      label="Repair"
      ariaLabel={`Repair ${finding.summary}`}
      title={`Repair ${finding.account ?? finding.region}`}
      description={`Runs the ${finding.pipeline} pipeline on ${
        finding.account ?? finding.region
      } to put right: ${finding.summary}`}
      environment={finding.environment}
      regionOu={finding.region}
      act={reason => api.repairFinding(finding.id, { reason })}
    />
  );
}

/** A column of a fixed width, whose cells keep to one line unless the row is opened. */
function fixed(
  width: number,
  column: TableColumn<DriftFinding>,
): TableColumn<DriftFinding> {
  const style: CSSProperties = {
    width,
    paddingLeft: CELL_PADDING_PX,
    paddingRight: CELL_PADDING_PX,
    verticalAlign: 'top',
    whiteSpace: 'nowrap',
  };
  return {
    ...column,
    width: `${width}px`,
    cellStyle: style,
    headerStyle: style,
  };
}

export function findingColumns(
  paths: MintingPaths,
): TableColumn<DriftFinding>[] {
  return [
    fixed(COLUMN_WIDTHS.toggle, {
      title: '',
      render: f => <ToggleCell finding={f} />,
    }),
    fixed(COLUMN_WIDTHS.layer, {
      title: 'Layer',
      render: f => <OneLine width={COLUMN_WIDTHS.layer}>{f.layer}</OneLine>,
    }),
    fixed(COLUMN_WIDTHS.where, {
      title: 'Where',
      render: f => (
        <OneLine width={COLUMN_WIDTHS.where} title={f.account ?? f.region}>
          {f.account ? (
            <Link to={paths.account(f.account)}>{f.account}</Link>
          ) : (
            <Link to={`${paths.estate}?q=${encodeURIComponent(f.region)}`}>
              {f.region}
            </Link>
          )}
        </OneLine>
      ),
    }),
    fixed(COLUMN_WIDTHS.summary, {
      title: 'Summary',
      render: f => <SummaryCell finding={f} paths={paths} />,
    }),
    fixed(COLUMN_WIDTHS.state, {
      title: 'State',
      render: f => (
        <OneLine width={COLUMN_WIDTHS.state}>
          <StateCell finding={f} />
        </OneLine>
      ),
    }),
    fixed(COLUMN_WIDTHS.actions, {
      title: 'Actions',
      render: f => (
        <Box width={COLUMN_WIDTHS.actions}>
          <RepairButton finding={f} />
          <AdoptStrayButton finding={f} />
        </Box>
      ),
    }),
  ];
}
