import { Link, TableColumn } from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import {
  CHANGE_STATUSES,
  ChangeRequest,
  ChangeStatus,
  describeChange,
  isOneOf,
} from '@regional-minting/plugin-account-minting-common';
import { MouseEvent, useMemo } from 'react';
import { useNavigate } from 'react-router-dom';
import { accountMintingApiRef } from '../../api';
import {
  FilteredList,
  FilterSelect,
  useUrlFilter,
} from '../shared/FilteredList';
import { MintingPaths, useMintingPaths } from '../shared/paths';
import { ago } from '../shared/time';
import { useLiveValue } from '../shared/useLiveValue';
import { ChangeStatusLabel } from './ChangeStatusLabel';

// Pending changes are followed live; the list is read again this often while one waits.
const REFRESH_MS = 10_000;

interface ChangeFilter {
  status?: ChangeStatus;
}

function filterOf(params: URLSearchParams): ChangeFilter {
  const status = params.get('status');
  return isOneOf(CHANGE_STATUSES, status) ? { status } : {};
}

function paramsOf(filter: ChangeFilter): Record<string, string> {
  return filter.status ? { status: filter.status } : {};
}

function columnsOf(paths: MintingPaths): TableColumn<ChangeRequest>[] {
  return [
    {
      title: 'Change',
      render: change => (
        <Link to={paths.change(change.id)}>{describeChange(change)}</Link>
      ),
    },
    { title: 'Environment', field: 'environment' },
    {
      title: 'Status',
      render: change => <ChangeStatusLabel change={change} />,
    },
    {
      title: 'Approvals',
      render: change => `${change.approvals} of ${change.approversNeeded}`,
    },
    { title: 'Requested by', field: 'requestedBy' },
    { title: 'Reason', field: 'reason' },
    {
      title: 'Asked',
      render: change => (
        <span title={change.createdAt}>{ago(change.createdAt)}</span>
      ),
    },
  ];
}

/** The changes that wait for approval, pending ones first, then what became of the others. */
export function ApprovalsList() {
  const api = useApi(accountMintingApiRef);
  const paths = useMintingPaths();
  const navigate = useNavigate();
  const { filter, filtered, setFilter, clearFilter } = useUrlFilter(
    filterOf,
    paramsOf,
  );
  const changes = useLiveValue(() => api.listChanges(filter), [api, filter], {
    intervalMs: REFRESH_MS,
    live: values => values.some(c => c.status === 'pending'),
    reloadOn: signal => signal.type === 'change',
  });
  const columns = useMemo(() => columnsOf(paths), [paths]);
  const open = (event?: MouseEvent, change?: ChangeRequest) => {
    if ((event?.target as Element | undefined)?.closest?.('a')) return;
    if (change) navigate(paths.change(change.id));
  };
  return (
    <FilteredList<ChangeRequest>
      title="Approvals"
      rowsName="these changes"
      rows={changes}
      columns={columns}
      filters={
        <FilterSelect
          id="approvals-filter-status"
          label="Status"
          anyLabel="Any status"
          minWidth={180}
          value={filter.status}
          options={CHANGE_STATUSES}
          onChange={status => setFilter({ status })}
        />
      }
      filtered={filtered}
      onClearFilters={clearFilter}
      noMatch="No change matches this filter"
      empty={{
        title: 'No changes wait for approval',
        description:
          'In environments that need approval, region requests, pipeline runs, retries and repairs wait here for the approver group.',
        action: <span />,
      }}
      onRowClick={open}
    />
  );
}
