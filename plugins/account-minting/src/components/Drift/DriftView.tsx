import {
  Link,
  StatusOK,
  StatusWarning,
  TableColumn,
} from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import { usePermission } from '@backstage/plugin-permission-react';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import {
  accountMintingDriftCheckPermission,
  accountMintingRunExecutePermission,
  CHECKED_PIPELINES,
  CheckedPipeline,
  DriftFilter,
  DriftFinding,
  DriftLayer,
  isOneOf,
  RunRecord,
  DRIFT_LAYERS,
} from '@regional-minting/plugin-account-minting-common';
import { useMemo, useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { accountMintingApiRef } from '../../api';
import { AdoptStrayButton } from './AdoptStrayButton';
import { GuardedActionButton } from '../shared/changes';
import {
  FilteredList,
  FilterSelect,
  RegionFilter,
  useFilterRegions,
  useUrlFilter,
  withSelected,
} from '../shared/FilteredList';
import { MintingPaths, useMintingPaths } from '../shared/paths';
import { When } from '../shared/When';
import { useLiveValue } from '../shared/useLiveValue';

type FindingStatus = 'open' | 'resolved' | 'all';

const STATUSES: FindingStatus[] = ['open', 'resolved', 'all'];
const REFRESH_MS = 5000;
const DIFF_LENGTH = 60;

/** The list's filters: the backend's, with `all` statuses instead of none. */
interface DriftViewFilter {
  status: FindingStatus;
  layer?: DriftLayer;
  region?: string;
  environment?: string;
}

/** The filter that the search parameters `status` (open when absent), `layer`, `region` and `environment` say. */
function driftFilterOf(params: URLSearchParams): DriftViewFilter {
  const status = params.get('status');
  const layer = params.get('layer');
  return {
    status: isOneOf(STATUSES, status) ? status : 'open',
    layer: isOneOf(DRIFT_LAYERS, layer) ? layer : undefined,
    region: params.get('region') || undefined,
    environment: params.get('environment') || undefined,
  };
}

/** What the filter narrows the findings to besides their status, as the URL and the backend both say it. */
function narrowingOf(filter: DriftViewFilter): Omit<DriftFilter, 'status'> {
  const narrowing: Omit<DriftFilter, 'status'> = {};
  if (filter.layer) narrowing.layer = filter.layer;
  if (filter.region) narrowing.region = filter.region;
  if (filter.environment) narrowing.environment = filter.environment;
  return narrowing;
}

function searchParamsOf(filter: DriftViewFilter): Record<string, string> {
  return {
    ...(filter.status !== 'open' ? { status: filter.status } : {}),
    ...narrowingOf(filter),
  };
}

function backendFilterOf(filter: DriftViewFilter): DriftFilter {
  return {
    ...(filter.status !== 'all' ? { status: filter.status } : {}),
    ...narrowingOf(filter),
  };
}

function isOpen(finding: DriftFinding): boolean {
  return !finding.resolvedAt;
}

/** A side of a diff on one line: text as it is, anything else as JSON. */
function diffText(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

function shorten(text: string): string {
  return text.length <= DIFF_LENGTH
    ? text
    : `${text.slice(0, DIFF_LENGTH - 1)}…`;
}

function DiffCell(props: { diff: DriftFinding['diff'] }) {
  const sides = (['expected', 'actual'] as const).filter(
    side => props.diff?.[side] !== undefined,
  );
  if (sides.length === 0) return null;
  return (
    <Box fontFamily="monospace" fontSize="0.8rem">
      {sides.map(side => {
        const text = diffText(props.diff![side]);
        return (
          <div key={side} title={text}>
            {side}: {shorten(text)}
          </div>
        );
      })}
    </Box>
  );
}

function StateCell(props: { finding: DriftFinding }) {
  const { finding } = props;
  if (isOpen(finding)) return <StatusWarning>open</StatusWarning>;
  return (
    <StatusOK>
      {finding.resolution ?? 'resolved'} <When iso={finding.resolvedAt} />
    </StatusOK>
  );
}

function RunsCell(props: { finding: DriftFinding; paths: MintingPaths }) {
  const { finding, paths } = props;
  return (
    <>
      <div>
        <Link to={paths.run(finding.checkRunId)}>check run</Link>
      </div>
      {finding.repairRunId && (
        <div>
          <Link to={paths.run(finding.repairRunId)}>repair run</Link>
        </div>
      )}
    </>
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

function columnsOf(paths: MintingPaths): TableColumn<DriftFinding>[] {
  const columns: TableColumn<DriftFinding>[] = [
    { title: 'Layer', field: 'layer', cellStyle: { whiteSpace: 'nowrap' } },
    {
      title: 'Region',
      field: 'region',
      cellStyle: { minWidth: 180 },
      render: f => (
        <Link to={`${paths.estate}?q=${encodeURIComponent(f.region)}`}>
          {f.region}
        </Link>
      ),
    },
    {
      title: 'Account',
      field: 'account',
      cellStyle: { minWidth: 200 },
      render: f =>
        f.account ? (
          <Link to={paths.account(f.account)}>{f.account}</Link>
        ) : (
          'whole region'
        ),
    },
    { title: 'Summary', field: 'summary', cellStyle: { minWidth: 320 } },
    { title: 'Diff', render: f => <DiffCell diff={f.diff} /> },
    {
      title: 'Age',
      cellStyle: { whiteSpace: 'nowrap' },
      render: f => <When iso={f.firstSeenAt} />,
    },
    {
      title: 'Last seen',
      cellStyle: { whiteSpace: 'nowrap' },
      render: f => <When iso={f.lastSeenAt} />,
    },
    {
      title: 'State',
      cellStyle: { whiteSpace: 'nowrap' },
      render: f => <StateCell finding={f} />,
    },
    {
      title: 'Runs',
      cellStyle: { whiteSpace: 'nowrap' },
      render: f => <RunsCell finding={f} paths={paths} />,
    },
  ];
  columns.push({
    title: 'Actions',
    render: f => (
      <>
        <RepairButton finding={f} />
        <AdoptStrayButton finding={f} />
      </>
    ),
  });
  return columns;
}

/** The filters of the list, kept in the URL so that the estate tree can link to a region's drift. */
function DriftFilters(props: {
  filter: DriftViewFilter;
  onChange(filter: DriftViewFilter): void;
}) {
  const regions = useFilterRegions();
  const { filter, onChange } = props;
  return (
    <>
      <FilterSelect
        id="drift-filter-status"
        label="Status"
        minWidth={160}
        value={filter.status}
        options={STATUSES}
        onChange={status => status && onChange({ ...filter, status })}
      />
      <FilterSelect
        id="drift-filter-layer"
        label="Layer"
        anyLabel="All layers"
        minWidth={160}
        value={filter.layer}
        options={DRIFT_LAYERS}
        onChange={layer => onChange({ ...filter, layer })}
      />
      <RegionFilter
        id="drift-filter-region"
        regions={regions}
        value={filter.region}
        onChange={region => onChange({ ...filter, region })}
      />
      <FilterSelect
        id="drift-filter-environment"
        label="Environment"
        anyLabel="All environments"
        minWidth={160}
        value={filter.environment}
        options={withSelected(
          [...new Set((regions ?? []).map(r => r.environment))],
          filter.environment,
        )}
        onChange={environment => onChange({ ...filter, environment })}
      />
    </>
  );
}

/** Starts a drift check of each pipeline now, for users allowed to run pipelines. */
function CheckNowButtons(props: {
  allowed: boolean;
  onStarted(run: RunRecord): void;
  onError(error: Error): void;
}) {
  const api = useApi(accountMintingApiRef);
  const [starting, setStarting] = useState<CheckedPipeline>();
  if (!props.allowed) return null;
  const check = async (pipeline: CheckedPipeline) => {
    setStarting(pipeline);
    try {
      props.onStarted(await api.startDriftCheck(pipeline));
    } catch (e) {
      props.onError(e as Error);
      setStarting(undefined);
    }
  };
  return (
    <Box display="flex" alignItems="center" style={{ gap: 8 }}>
      {CHECKED_PIPELINES.map(pipeline => (
        <Button
          key={pipeline}
          variant="outlined"
          color="primary"
          disabled={starting !== undefined}
          onClick={() => check(pipeline)}
        >
          Check {pipeline} now
        </Button>
      ))}
    </Box>
  );
}

/** The drift that checks found across the estate, with repairs and checks on demand. */
export function DriftView() {
  const api = useApi(accountMintingApiRef);
  const paths = useMintingPaths();
  const navigate = useNavigate();
  const canCheck = usePermission({
    permission: accountMintingDriftCheckPermission,
  }).allowed;
  const { filter, filtered, setFilter, clearFilter } = useUrlFilter(
    driftFilterOf,
    searchParamsOf,
  );

  const findings = useLiveValue(
    () => api.listFindings(backendFilterOf(filter)),
    [api, filter],
    {
      intervalMs: REFRESH_MS,
      // Findings change when checks and runs finish, which the backend signals.
      live: () => false,
      reloadOn: signal => signal.type === 'findings' || signal.type === 'run',
    },
  );
  const [actionError, setActionError] = useState<Error>();
  const columns = useMemo(() => columnsOf(paths), [paths]);

  const checkNow = (
    <CheckNowButtons
      allowed={canCheck}
      onStarted={run => navigate(paths.run(run.id))}
      onError={setActionError}
    />
  );

  return (
    <FilteredList<DriftFinding>
      title="Drift findings"
      rowsName="these findings"
      rows={findings}
      columns={columns}
      filters={<DriftFilters filter={filter} onChange={setFilter} />}
      filtered={filtered}
      onClearFilters={clearFilter}
      noMatch="No finding matches these filters"
      empty={{
        title: 'No drift found',
        description:
          'Drift checks run on a schedule and compare what is desired with what AWS has; their findings show here.',
        action: checkNow,
      }}
      actions={checkNow}
      actionError={actionError}
    />
  );
}
