import {
  EmptyState,
  Link,
  Progress,
  ResponseErrorPanel,
  StatusOK,
  StatusWarning,
  Table,
  TableColumn,
} from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import { usePermission } from '@backstage/plugin-permission-react';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import MenuItem from '@material-ui/core/MenuItem';
import TextField from '@material-ui/core/TextField';
import {
  accountMintingRunExecutePermission,
  CHECKED_PIPELINES,
  CheckedPipeline,
  DriftFilter,
  DriftFinding,
  DriftLayer,
  RunRecord,
  DRIFT_LAYERS,
} from '@regional-minting/plugin-account-minting-common';
import { useMemo, useState } from 'react';
import { useNavigate, useSearchParams } from 'react-router-dom';
import useAsync from 'react-use/esm/useAsync';
import { accountMintingApiRef } from '../../api';
import { MintingPaths, useMintingPaths } from '../shared/paths';
import { When } from '../shared/When';
import { useLiveValue } from '../shared/useLiveValue';

type FindingStatus = 'open' | 'resolved' | 'all';

const LAYERS = DRIFT_LAYERS;
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
  const status = params.get('status') as FindingStatus | null;
  const layer = params.get('layer') as DriftLayer | null;
  return {
    status: status && STATUSES.includes(status) ? status : 'open',
    layer: layer && LAYERS.includes(layer) ? layer : undefined,
    region: params.get('region') || undefined,
    environment: params.get('environment') || undefined,
  };
}

function searchParamsOf(filter: DriftViewFilter): Record<string, string> {
  const params: Record<string, string> = {};
  if (filter.status !== 'open') params.status = filter.status;
  if (filter.layer) params.layer = filter.layer;
  if (filter.region) params.region = filter.region;
  if (filter.environment) params.environment = filter.environment;
  return params;
}

function backendFilterOf(filter: DriftViewFilter): DriftFilter {
  const backend: DriftFilter = {};
  if (filter.status !== 'all') backend.status = filter.status;
  if (filter.layer) backend.layer = filter.layer;
  if (filter.region) backend.region = filter.region;
  if (filter.environment) backend.environment = filter.environment;
  return backend;
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

function columnsOf(
  paths: MintingPaths,
  repair: ((finding: DriftFinding) => void) | undefined,
  repairing: string | undefined,
): TableColumn<DriftFinding>[] {
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
  if (repair) {
    columns.push({
      title: 'Actions',
      render: f =>
        isOpen(f) && f.repairable ? (
          <Button
            variant="outlined"
            size="small"
            color="primary"
            disabled={repairing !== undefined}
            aria-label={`Repair ${f.summary}`}
            onClick={() => repair(f)}
          >
            Repair
          </Button>
        ) : null,
    });
  }
  return columns;
}

/** The filters of the list, kept in the URL so that the estate tree can link to a region's drift. */
function DriftFilters(props: {
  filter: DriftViewFilter;
  onChange(filter: DriftViewFilter): void;
}) {
  const api = useApi(accountMintingApiRef);
  const { value: regions } = useAsync(() => api.listRegions(), [api]);
  const { filter, onChange } = props;
  const { regionNames, environments } = useMemo(() => {
    // A value linked to from elsewhere stays selectable even before the regions load.
    const withSelected = (names: string[], selected?: string) =>
      selected && !names.includes(selected) ? [selected, ...names] : names;
    const known = regions ?? [];
    return {
      regionNames: withSelected(
        known.map(r => r.name),
        filter.region,
      ),
      environments: withSelected(
        [...new Set(known.map(r => r.environment))],
        filter.environment,
      ),
    };
  }, [regions, filter.region, filter.environment]);

  const select = (
    name: keyof DriftViewFilter,
    label: string,
    allLabel: string | undefined,
    options: string[],
  ) => (
    <TextField
      id={`drift-filter-${name}`}
      select
      label={label}
      variant="outlined"
      size="small"
      style={{ minWidth: name === 'region' ? 240 : 160 }}
      value={filter[name] ?? ''}
      onChange={e =>
        onChange({ ...filter, [name]: e.target.value || undefined })
      }
    >
      {allLabel && <MenuItem value="">{allLabel}</MenuItem>}
      {options.map(option => (
        <MenuItem key={option} value={option}>
          {option}
        </MenuItem>
      ))}
    </TextField>
  );

  return (
    <Box
      role="group"
      aria-label="Filters"
      display="flex"
      flexWrap="wrap"
      style={{ gap: 16 }}
    >
      {select('status', 'Status', undefined, STATUSES)}
      {select('layer', 'Layer', 'All layers', LAYERS)}
      {select('region', 'Region', 'All regions', regionNames)}
      {select('environment', 'Environment', 'All environments', environments)}
    </Box>
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
  const canExecute = usePermission({
    permission: accountMintingRunExecutePermission,
  }).allowed;
  const [searchParams, setSearchParams] = useSearchParams();
  const filterKey = new URLSearchParams(
    searchParamsOf(driftFilterOf(searchParams)),
  ).toString();
  const filter = useMemo(
    () => driftFilterOf(new URLSearchParams(filterKey)),
    [filterKey],
  );
  const filtered = filterKey !== '';
  const setFilter = (next: DriftViewFilter) =>
    setSearchParams(searchParamsOf(next), { replace: true });

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
  const [repairing, setRepairing] = useState<string>();

  const columns = useMemo(() => {
    const openRun = (run: RunRecord) => navigate(paths.run(run.id));
    const repair = async (finding: DriftFinding) => {
      setRepairing(finding.id);
      setActionError(undefined);
      try {
        openRun(await api.repairFinding(finding.id));
      } catch (e) {
        setActionError(e as Error);
        setRepairing(undefined);
      }
    };
    return columnsOf(paths, canExecute ? repair : undefined, repairing);
  }, [api, navigate, paths, canExecute, repairing]);

  const checkNow = (
    <CheckNowButtons
      allowed={canExecute}
      onStarted={run => navigate(paths.run(run.id))}
      onError={setActionError}
    />
  );
  const empty = findings.value?.length === 0;

  let content;
  if (findings.loading) {
    content = <Progress />;
  } else if (findings.error && !findings.value) {
    content = (
      <ResponseErrorPanel
        error={findings.error}
        title="The account-minting backend did not answer"
      />
    );
  } else if (empty && filtered) {
    content = (
      <EmptyState
        missing="data"
        title="No finding matches these filters"
        action={
          <Button
            variant="outlined"
            onClick={() => setFilter({ status: 'open' })}
          >
            Clear the filters
          </Button>
        }
      />
    );
  } else if (empty) {
    content = (
      <EmptyState
        missing="data"
        title="No drift found"
        description="Drift checks run on a schedule and compare what is desired with what AWS has; their findings show here."
        action={checkNow}
      />
    );
  } else {
    content = (
      <>
        {findings.error && (
          <ResponseErrorPanel
            error={findings.error}
            title="The account-minting backend did not answer; these findings may be out of date"
          />
        )}
        <Table<DriftFinding>
          title="Drift findings"
          columns={columns}
          data={findings.value ?? []}
          options={{
            search: false,
            sorting: false,
            padding: 'dense',
            paging: (findings.value?.length ?? 0) > 20,
            pageSize: 20,
          }}
        />
      </>
    );
  }

  return (
    <>
      <Box
        display="flex"
        flexWrap="wrap"
        justifyContent="space-between"
        mb={2}
        style={{ gap: 16 }}
      >
        <DriftFilters filter={filter} onChange={setFilter} />
        {!(empty && !filtered) && checkNow}
      </Box>
      {actionError && (
        <Box mb={2}>
          <ResponseErrorPanel
            error={actionError}
            title="The backend refused the request"
          />
        </Box>
      )}
      {content}
    </>
  );
}
