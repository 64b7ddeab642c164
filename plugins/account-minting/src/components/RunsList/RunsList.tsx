import {
  EmptyState,
  Link,
  LinkButton,
  Progress,
  ResponseErrorPanel,
  Table,
  TableColumn,
} from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import MenuItem from '@material-ui/core/MenuItem';
import TextField from '@material-ui/core/TextField';
import {
  isOneOf,
  PipelineName,
  PIPELINES,
  RUN_STATUSES,
  RunFilter,
  RunRecord,
  RunStatus,
  WHOLE_ESTATE,
} from '@regional-minting/plugin-account-minting-common';
import { MouseEvent, useMemo } from 'react';
import { useNavigate, useSearchParams } from 'react-router-dom';
import useAsync from 'react-use/esm/useAsync';
import { accountMintingApiRef } from '../../api';
import { MintingPaths, useMintingPaths } from '../shared/paths';
import { StatusLabel } from '../shared/StatusLabel';
import { ago, durationBetween, fullTime, isUnderWay } from '../shared/time';
import { useLiveValue } from '../shared/useLiveValue';

const REFRESH_MS = 3000;
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

function columnsOf(paths: MintingPaths): TableColumn<RunRecord>[] {
  return [
    {
      title: 'Status',
      field: 'status',
      render: run => <StatusLabel status={run.status} />,
    },
    { title: 'Pipeline', field: 'pipeline' },
    {
      title: 'Region',
      field: 'region',
      render: run => (
        <Link to={paths.run(run.id)}>
          {run.region === WHOLE_ESTATE ? 'whole estate' : run.region}
        </Link>
      ),
    },
    {
      title: 'Account',
      field: 'account',
      render: run =>
        run.account ?? (run.mode === 'check' ? 'drift check' : 'whole region'),
    },
    { title: 'Requested by', field: 'requestedBy' },
    {
      title: 'Created',
      field: 'createdAt',
      render: run => (
        <span title={fullTime(run.createdAt)}>{ago(run.createdAt)}</span>
      ),
    },
    {
      title: 'Duration',
      render: run => durationBetween(run.startedAt, run.finishedAt) ?? '',
    },
    {
      title: 'Error',
      field: 'error',
      render: run => <span title={run.error}>{shortError(run.error)}</span>,
    },
  ];
}

/** The filters of the list, read from and written to the URL so that other views can link to them. */
function RunFilters(props: {
  filter: RunFilter;
  onChange(filter: RunFilter): void;
}) {
  const api = useApi(accountMintingApiRef);
  const { value: regions } = useAsync(() => api.listRegions(), [api]);
  const { filter, onChange } = props;
  const regionNames = useMemo(() => {
    const names = (regions ?? []).map(r => r.name);
    // A region linked to from elsewhere stays selectable even before the regions load.
    if (filter.region && !names.includes(filter.region)) {
      names.unshift(filter.region);
    }
    return names;
  }, [regions, filter.region]);

  return (
    <Box
      role="group"
      aria-label="Filters"
      display="flex"
      flexWrap="wrap"
      mb={2}
      style={{ gap: 16 }}
    >
      <TextField
        id="runs-filter-region"
        select
        label="Region"
        variant="outlined"
        size="small"
        style={{ minWidth: 240 }}
        value={filter.region ?? ''}
        onChange={e =>
          onChange({ ...filter, region: e.target.value || undefined })
        }
      >
        <MenuItem value="">All regions</MenuItem>
        {regionNames.map(name => (
          <MenuItem key={name} value={name}>
            {name}
          </MenuItem>
        ))}
      </TextField>
      <TextField
        id="runs-filter-pipeline"
        select
        label="Pipeline"
        variant="outlined"
        size="small"
        style={{ minWidth: 160 }}
        value={filter.pipeline ?? ''}
        onChange={e =>
          onChange({
            ...filter,
            pipeline: (e.target.value as PipelineName) || undefined,
          })
        }
      >
        <MenuItem value="">All pipelines</MenuItem>
        {PIPELINES.map(pipeline => (
          <MenuItem key={pipeline} value={pipeline}>
            {pipeline}
          </MenuItem>
        ))}
      </TextField>
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
    </Box>
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
  const [searchParams, setSearchParams] = useSearchParams();
  const filterKey = new URLSearchParams(
    searchParamsOf(runFilterOf(searchParams)),
  ).toString();
  const filter = useMemo(
    () => runFilterOf(new URLSearchParams(filterKey)),
    [filterKey],
  );
  const filtered = filterKey !== '';

  const runs = useLiveValue(() => api.listRuns(filter), [api, filter], {
    intervalMs: REFRESH_MS,
    live: values => values.some(isActive),
    reloadOn: signal => signal.type === 'run',
  });
  const columns = useMemo(() => columnsOf(paths), [paths]);

  const setFilter = (next: RunFilter) =>
    setSearchParams(searchParamsOf(next), { replace: true });

  const openRun = (event?: MouseEvent, run?: RunRecord) => {
    // The region's link navigates on its own.
    if ((event?.target as Element | undefined)?.closest?.('a')) return;
    if (run) navigate(paths.run(run.id));
  };

  let content;
  if (runs.loading) {
    content = <Progress />;
  } else if (runs.error && !runs.value) {
    content = (
      <ResponseErrorPanel
        error={runs.error}
        title="The account-minting backend did not answer"
      />
    );
  } else if (runs.value && runs.value.length === 0) {
    content = filtered ? (
      <EmptyState
        missing="data"
        title="No run matches these filters"
        action={
          <Button variant="outlined" onClick={() => setFilter({})}>
            Clear the filters
          </Button>
        }
      />
    ) : (
      <EmptyState
        missing="data"
        title="No runs yet"
        description="A run starts when a region is requested, or when a pipeline is started for a region or an account."
        action={
          <LinkButton to={paths.newRegion} variant="contained" color="primary">
            Request a region
          </LinkButton>
        }
      />
    );
  } else {
    content = (
      <>
        {runs.error && (
          <ResponseErrorPanel
            error={runs.error}
            title="The account-minting backend did not answer; these runs may be out of date"
          />
        )}
        <Table<RunRecord>
          title="Runs"
          columns={columns}
          data={runs.value ?? []}
          onRowClick={openRun}
          options={{
            search: false,
            sorting: false,
            padding: 'dense',
            paging: (runs.value?.length ?? 0) > 20,
            pageSize: 20,
          }}
        />
      </>
    );
  }

  return (
    <>
      <RunFilters filter={filter} onChange={setFilter} />
      {content}
    </>
  );
}
