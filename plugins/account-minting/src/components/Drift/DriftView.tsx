import { useApi } from '@backstage/frontend-plugin-api';
import { usePermission } from '@backstage/plugin-permission-react';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Typography from '@material-ui/core/Typography';
import {
  accountMintingDriftCheckPermission,
  DRIFT_LAYERS,
  DriftFinding,
} from '@regional-minting/plugin-account-minting-common';
import { useCallback, useMemo, useState } from 'react';
import { accountMintingApiRef } from '../../api';
import {
  FilteredList,
  FilterSelect,
  RegionFilter,
  useFilterRegions,
  useUrlFilter,
  withSelected,
} from '../shared/FilteredList';
import { useMintingPaths } from '../shared/paths';
import { LiveValue, useLiveValue } from '../shared/useLiveValue';
import { DriftChecks } from './DriftChecks';
import {
  backendFilterOf,
  driftFilterOf,
  DriftViewFilter,
  FINDING_STATES,
  searchParamsOf,
  shownFindings,
} from './driftFilter';
import { Expansion, ExpansionContext, findingColumns } from './findingColumns';

const REFRESH_MS = 5000;
// The linked finding's row stands out, as a selected row does.
const LINKED_ROW_STYLE = { backgroundColor: 'rgba(33, 150, 243, 0.12)' };

/** The filters of the list, kept in the URL so that the estate tree and notifications can link to them. */
function DriftFilters(props: {
  filter: DriftViewFilter;
  onChange(filter: DriftViewFilter): void;
}) {
  const regions = useFilterRegions();
  const { filter, onChange } = props;
  return (
    <>
      <FilterSelect
        id="drift-filter-state"
        label="State"
        minWidth={160}
        value={filter.state}
        options={FINDING_STATES}
        onChange={state => state && onChange({ ...filter, state })}
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

/** Which rows are open: the linked finding's at first, then as the user toggles them. */
function useExpansion(linked: string | undefined): Expansion {
  const [expanded, setExpanded] = useState(
    () => new Set(linked ? [linked] : []),
  );
  const toggle = useCallback(
    (id: string) =>
      setExpanded(previous => {
        const next = new Set(previous);
        if (!next.delete(id)) next.add(id);
        return next;
      }),
    [],
  );
  return useMemo(
    () => ({ isExpanded: id => expanded.has(id), toggle }),
    [expanded, toggle],
  );
}

/** Says so when the finding a link points at is not among those the filter shows, and offers every state. */
function LinkedFindingMissing(props: {
  filter: DriftViewFilter;
  onChange(filter: DriftViewFilter): void;
}) {
  const { filter } = props;
  return (
    <Box
      role="status"
      display="flex"
      alignItems="center"
      mb={2}
      style={{ gap: 16 }}
    >
      <Typography>
        The linked finding is not among the {filter.state} findings of these
        filters.
      </Typography>
      {filter.state !== 'all' && (
        <Button
          variant="outlined"
          onClick={() => props.onChange({ ...filter, state: 'all' })}
        >
          Show findings in every state
        </Button>
      )}
    </Box>
  );
}

/** The drift that checks found across the estate, with repairs and checks on demand. */
export function DriftView() {
  const api = useApi(accountMintingApiRef);
  const paths = useMintingPaths();
  const canCheck = usePermission({
    permission: accountMintingDriftCheckPermission,
  }).allowed;
  const { filter, filtered, setFilter, clearFilter } = useUrlFilter(
    driftFilterOf,
    searchParamsOf,
  );
  const backendFilter = useMemo(() => backendFilterOf(filter), [filter]);

  const findings = useLiveValue(
    () => api.listFindings(backendFilter),
    [api, backendFilter],
    {
      intervalMs: REFRESH_MS,
      // Findings change when checks and runs finish, which the backend signals.
      live: () => false,
      reloadOn: signal => signal.type === 'findings' || signal.type === 'run',
    },
  );
  const { value: found, error, loading, reload } = findings;
  const rows: LiveValue<DriftFinding[]> = useMemo(
    () => ({
      value: found && shownFindings(found, filter),
      error,
      loading,
      reload,
    }),
    [found, error, loading, reload, filter],
  );
  const [actionError, setActionError] = useState<Error>();
  const columns = useMemo(() => findingColumns(paths), [paths]);
  const expansion = useExpansion(filter.finding);
  const linkedMissing =
    filter.finding !== undefined &&
    rows.value !== undefined &&
    !rows.value.some(f => f.id === filter.finding);

  return (
    <>
      <DriftChecks
        canCheck={canCheck}
        onCheckFinished={reload}
        onError={setActionError}
      />
      {linkedMissing && (
        <LinkedFindingMissing filter={filter} onChange={setFilter} />
      )}
      <ExpansionContext.Provider value={expansion}>
        <FilteredList<DriftFinding>
          title="Drift findings"
          rowsName="these findings"
          rows={rows}
          columns={columns}
          filters={<DriftFilters filter={filter} onChange={setFilter} />}
          filtered={filtered}
          onClearFilters={clearFilter}
          noMatch="No finding matches these filters"
          empty={{
            title: 'No drift found',
            description:
              'Drift checks run on a schedule and compare what is desired with what AWS has; their findings show here.',
            action: (
              <Typography variant="body2">
                When each pipeline was last checked shows above.
              </Typography>
            ),
          }}
          actionError={actionError}
          rowStyle={f => (f.id === filter.finding ? LINKED_ROW_STYLE : {})}
        />
      </ExpansionContext.Provider>
    </>
  );
}
