import { Link, LinkButton, TableColumn } from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import MenuItem from '@material-ui/core/MenuItem';
import TextField from '@material-ui/core/TextField';
import {
  isOneOf,
  PIPELINES,
  RUN_STATUSES,
  RunFilter,
  RunRecord,
  RunStatus,
  WHOLE_ESTATE,
} from '@regional-minting/plugin-account-minting-common';
import { MouseEvent, useMemo } from 'react';
import { useNavigate } from 'react-router-dom';
import { accountMintingApiRef } from '../../api';
import {
  FilteredList,
  FilterSelect,
  RegionFilter,
  useFilterRegions,
  useUrlFilter,
} from '../shared/FilteredList';
import { MintingPaths, useMintingPaths } from '../shared/paths';
import { StatusLabel } from '../shared/StatusLabel';
import { ago, durationBetween, fullTime, isUnderWay } from '../shared/time';
import { useLiveValue } from '../shared/useLiveValue';

const REFRESH_MS = 3000;
// The newest runs, as many as the list showed before the API paged them.
const RUNS_SHOWN = 200;
const SHORT_ERROR_LENGTH = 80;

/** The filter that the search parameters `region`, `pipeline` and `status` (comma-separated) say. */
function runFilterOf(params: URLSearchParams): RunFilter {
  const filter: RunFilter = {};
  const region = params.get('region');
  if (region) filter.region = region;
  const pipeline = params.get('pipeline');
  if (isOneOf(PIPELINES, pipeline)) filter.pipeline = pipeline;
  const statuses = (params.get('status') ?? '')
    .split(',')
    .filter(s => isOneOf(RUN_STATUSES, s));
  if (statuses.length > 0) filter.status = statuses;
  return filter;
}

function isActive(run: RunRecord): boolean {
  return isUnderWay(run.status);
}

function shortError(error: string | undefined): string {
  if (!error || error.length <= SHORT_ERROR_LENGTH) return error ?? '';
  return `${error.slice(0, SHORT_ERROR_LENGTH - 1)}…`;
}

/** A link in a row: it navigates on its own, so the row's click must not open the run too. */
function keepFromRow(event: MouseEvent) {
  event.stopPropagation();
}

/** The columns of the runs, leaving out those that none of them has a value in. */
function columnsOf(
  paths: MintingPaths,
  runs: RunRecord[],
): TableColumn<RunRecord>[] {
  return [
    {
      title: 'Status',
      field: 'status',
      // The run's own link, as the region's goes to the region.
      render: run => (
        <Link
          to={paths.run(run.id)}
          aria-label={`Run ${run.id}`}
          onClick={keepFromRow}
        >
          <StatusLabel status={run.status} />
        </Link>
      ),
    },
    { title: 'Pipeline', field: 'pipeline' },
    {
      title: 'Region',
      field: 'region',
      render: run =>
        run.region === WHOLE_ESTATE ? (
          'whole estate'
        ) : (
          <Link to={paths.region(run.region)} onClick={keepFromRow}>
            {run.region}
          </Link>
        ),
    },
    {
      title: 'Account',
      field: 'account',
      render: run =>
        run.account ?? (run.mode === 'check' ? 'drift check' : 'whole region'),
    },
    {
      title: 'Requested by',
      field: 'requestedBy',
      // An entity ref such as user:default/jane breaks at its punctuation otherwise.
      cellStyle: { whiteSpace: 'nowrap' },
    },
    {
      title: 'Created',
      field: 'createdAt',
      render: run => (
        <span title={fullTime(run.createdAt)}>{ago(run.createdAt)}</span>
      ),
    },
    {
      title: 'Duration',
      hidden: !runs.some(run => run.startedAt),
      render: run => durationBetween(run.startedAt, run.finishedAt) ?? '',
    },
    {
      title: 'Error',
      field: 'error',
      hidden: !runs.some(run => run.error),
      render: run => <span title={run.error}>{shortError(run.error)}</span>,
    },
  ];
}

/** The filters of the list, kept in the URL so that other views can link to them. */
function RunFilters(props: {
  filter: RunFilter;
  onChange(filter: RunFilter): void;
}) {
  const regions = useFilterRegions();
  const { filter, onChange } = props;
  return (
    <>
      <RegionFilter
        id="runs-filter-region"
        regions={regions}
        value={filter.region}
        onChange={region => onChange({ ...filter, region })}
      />
      <FilterSelect
        id="runs-filter-pipeline"
        label="Pipeline"
        anyLabel="All pipelines"
        minWidth={160}
        value={filter.pipeline}
        options={PIPELINES}
        onChange={pipeline => onChange({ ...filter, pipeline })}
      />
      <TextField
        id="runs-filter-status"
        select
        label="Status"
        variant="outlined"
        size="small"
        style={{ minWidth: 200 }}
        value={filter.status ?? []}
        SelectProps={{
          multiple: true,
          displayEmpty: true,
          renderValue: selected =>
            (selected as string[]).length > 0
              ? (selected as string[]).join(', ')
              : 'Any status',
        }}
        InputLabelProps={{ shrink: true }}
        onChange={e => {
          const status = e.target.value as unknown as RunStatus[];
          onChange({ ...filter, status: status.length ? status : undefined });
        }}
      >
        {RUN_STATUSES.map(status => (
          <MenuItem key={status} value={status}>
            {status}
          </MenuItem>
        ))}
      </TextField>
    </>
  );
}

function searchParamsOf(filter: RunFilter): Record<string, string> {
  const params: Record<string, string> = {};
  if (filter.region) params.region = filter.region;
  if (filter.pipeline) params.pipeline = filter.pipeline;
  if (filter.status?.length) params.status = filter.status.join(',');
  return params;
}

/** The runs of the estate, newest first, followed while any of them goes on. */
export function RunsList() {
  const api = useApi(accountMintingApiRef);
  const paths = useMintingPaths();
  const navigate = useNavigate();
  const { filter, filtered, setFilter, clearFilter } = useUrlFilter(
    runFilterOf,
    searchParamsOf,
  );
  const runs = useLiveValue(
    async () => (await api.listRuns({ ...filter, limit: RUNS_SHOWN })).items,
    [api, filter],
    {
      intervalMs: REFRESH_MS,
      live: values => values.some(isActive),
      reloadOn: signal => signal.type === 'run',
    },
  );
  const columns = useMemo(
    () => columnsOf(paths, runs.value ?? []),
    [paths, runs.value],
  );

  const openRun = (_event?: MouseEvent, run?: RunRecord) => {
    if (run) navigate(paths.run(run.id));
  };

  return (
    <FilteredList<RunRecord>
      title="Runs"
      rowsName="these runs"
      rows={runs}
      columns={columns}
      filters={<RunFilters filter={filter} onChange={setFilter} />}
      filtered={filtered}
      onClearFilters={clearFilter}
      noMatch="No run matches these filters"
      empty={{
        title: 'No runs yet',
        description:
          'A run starts when a region is requested, or when a pipeline is started for a region or an account.',
        action: (
          <LinkButton to={paths.newRegion} variant="contained" color="primary">
            Request a region
          </LinkButton>
        ),
      }}
      onRowClick={openRun}
    />
  );
}
