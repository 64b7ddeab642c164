import {
  EmptyState,
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
import { RegionSummary } from '@regional-minting/plugin-account-minting-common';
import { CSSProperties, MouseEvent, ReactNode, useMemo } from 'react';
import { useSearchParams } from 'react-router-dom';
import useAsync from 'react-use/esm/useAsync';
import { accountMintingApiRef } from '../../api';
import { LiveValue } from './useLiveValue';

const PAGE_SIZE = 20;

/**
 * A list's filter, kept in the URL so that other views can link to it: `read` makes it
 * from the search parameters, `write` makes them from it, leaving defaults out. Both
 * must be stable (module functions).
 */
export function useUrlFilter<F>(
  read: (params: URLSearchParams) => F,
  write: (filter: F) => Record<string, string>,
): {
  filter: F;
  filtered: boolean;
  setFilter(next: F): void;
  /** Back to the filter an address without search parameters says. */
  clearFilter(): void;
} {
  const [searchParams, setSearchParams] = useSearchParams();
  // A new filter only when what it says changes, so that the list loads again only then.
  const key = new URLSearchParams(write(read(searchParams))).toString();
  const filter = useMemo(() => read(new URLSearchParams(key)), [read, key]);
  return {
    filter,
    filtered: key !== '',
    setFilter: next => setSearchParams(write(next), { replace: true }),
    clearFilter: () => setSearchParams({}, { replace: true }),
  };
}

/** The regions the backend knows, for the filters' options; undefined until they load. */
export function useFilterRegions(): RegionSummary[] | undefined {
  const api = useApi(accountMintingApiRef);
  return useAsync(() => api.listRegions(), [api]).value;
}

/** A filter's options, led by the selected value where they lack it. */
export function withSelected(options: string[], selected?: string): string[] {
  // A value linked to from elsewhere stays selectable even before the options load.
  return selected && !options.includes(selected)
    ? [selected, ...options]
    : options;
}

/** A filter of one value: its options, after one for any value where `anyLabel` names it. */
export function FilterSelect<V extends string>(props: {
  id: string;
  label: string;
  value: V | undefined;
  options: readonly V[];
  anyLabel?: string;
  minWidth: number;
  onChange(value: V | undefined): void;
}) {
  return (
    <TextField
      id={props.id}
      select
      label={props.label}
      variant="outlined"
      size="small"
      style={{ minWidth: props.minWidth }}
      value={props.value ?? ''}
      onChange={e => props.onChange((e.target.value as V) || undefined)}
    >
      {props.anyLabel && <MenuItem value="">{props.anyLabel}</MenuItem>}
      {props.options.map(option => (
        <MenuItem key={option} value={option}>
          {option}
        </MenuItem>
      ))}
    </TextField>
  );
}

/** The filter of a region, among those the backend knows. */
export function RegionFilter(props: {
  id: string;
  regions: RegionSummary[] | undefined;
  value: string | undefined;
  onChange(value: string | undefined): void;
}) {
  return (
    <FilterSelect
      id={props.id}
      label="Region"
      anyLabel="All regions"
      minWidth={240}
      value={props.value}
      options={withSelected(
        (props.regions ?? []).map(r => r.name),
        props.value,
      )}
      onChange={props.onChange}
    />
  );
}

/** What a list with nothing to show says when it is not filtered: why, and what to do. */
export interface EmptyListState {
  title: string;
  description: string;
  action: JSX.Element;
}

/**
 * The shell of a list of the estate's records: its filters, with the view's actions
 * beside them, then the live table, or what stands for it while it loads, when the
 * backend does not answer, and when it is empty, filtered or not.
 */
export function FilteredList<T extends object>(props: {
  /** The table's title. */
  title: string;
  /** The rows, such as `these runs`, in the error shown over rows that may be out of date. */
  rowsName: string;
  rows: LiveValue<T[]>;
  columns: TableColumn<T>[];
  /** The filters' fields. */
  filters: ReactNode;
  filtered: boolean;
  onClearFilters(): void;
  /** The title of what shows when no row matches the filters. */
  noMatch: string;
  /** What shows when there is no row at all. */
  empty: EmptyListState;
  /** Beside the filters, unless the list is empty and unfiltered: its empty state has its own action. */
  actions?: ReactNode;
  /** Why the backend refused what the view's actions asked. */
  actionError?: Error;
  onRowClick?(event?: MouseEvent, row?: T): void;
  /** A row's own style, such as a highlight. */
  rowStyle?(row: T): CSSProperties;
}) {
  const { rows, filtered } = props;
  const empty = rows.value?.length === 0;

  let content;
  if (rows.loading) {
    content = <Progress />;
  } else if (rows.error && !rows.value) {
    content = (
      <ResponseErrorPanel
        error={rows.error}
        title="The account-minting backend did not answer"
      />
    );
  } else if (empty && filtered) {
    content = (
      <EmptyState
        missing="data"
        title={props.noMatch}
        action={
          <Button variant="outlined" onClick={props.onClearFilters}>
            Clear the filters
          </Button>
        }
      />
    );
  } else if (empty) {
    content = <EmptyState missing="data" {...props.empty} />;
  } else {
    content = (
      <>
        {rows.error && (
          <ResponseErrorPanel
            error={rows.error}
            title={`The account-minting backend did not answer; ${props.rowsName} may be out of date`}
          />
        )}
        <Table<T>
          title={props.title}
          columns={props.columns}
          data={rows.value ?? []}
          onRowClick={props.onRowClick}
          options={{
            search: false,
            sorting: false,
            padding: 'dense',
            paging: (rows.value?.length ?? 0) > PAGE_SIZE,
            pageSize: PAGE_SIZE,
            rowStyle: props.rowStyle,
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
        <Box
          role="group"
          aria-label="Filters"
          display="flex"
          flexWrap="wrap"
          style={{ gap: 16 }}
        >
          {props.filters}
        </Box>
        {!(empty && !filtered) && props.actions}
      </Box>
      {props.actionError && (
        <Box mb={2}>
          <ResponseErrorPanel
            error={props.actionError}
            title="The backend refused the request"
          />
        </Box>
      )}
      {content}
    </>
  );
}
