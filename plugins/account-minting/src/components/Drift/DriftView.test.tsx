import { mockApis, renderInTestApp } from '@backstage/frontend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  AccountMintingApi,
  ChangeRequest,
  DriftFinding,
  Page,
  RegionSummary,
  RunFilter,
  RunRecord,
} from '@regional-minting/plugin-account-minting-common';
import { configure, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Route, Routes, useLocation } from 'react-router-dom';
import {
  configFixture,
  estateFixture,
  withApproval,
} from '@regional-minting/plugin-account-minting-common/testUtils';
import { testRegion } from '../../__testUtils__/testRegion';
import { accountMintingApiRef } from '../../api';
import { FreshPermissions } from '../../__testUtils__/permissions';
import { DriftView } from './DriftView';
import { CELL_PADDING_PX, COLUMN_WIDTHS } from './findingColumns';

// Rendering in jsdom, the mocked API's answers and the polling take a while on a loaded
// machine: generous waits, so that it is slow, never failing.
configure({ asyncUtilTimeout: 20_000 });
jest.setTimeout(60_000);

const hoursAgo = (hours: number) =>
  new Date(Date.now() - hours * 3_600_000).toISOString();
const minutesAgo = (minutes: number) => hoursAgo(minutes / 60);

const tagsFinding: DriftFinding = {
  id: 'f-tags',
  pipeline: 'bootstrap',
  layer: 'tags',
  payer: 'staging-2',
  environment: 'dev',
  region: 'dev-kirk-us-east-2',
  account: 'dev-kirk-us-east-2-mc1',
  summary: 'The managed tags differ',
  diff: { expected: { owner: 'kirk' }, actual: { owner: 'spock' } },
  repairable: true,
  firstSeenAt: hoursAgo(3),
  lastSeenAt: hoursAgo(1),
  checkRunId: 'check-1',
};
const strayFinding: DriftFinding = {
  ...tagsFinding,
  id: 'f-stray',
  pipeline: 'mint',
  layer: 'stray-account',
  region: 'dev-uhura-us-east-2',
  account: 'stray-sandbox',
  summary: 'An account no desired region has',
  diff: undefined,
  repairable: false,
};
const resolvedFinding: DriftFinding = {
  ...tagsFinding,
  id: 'f-role',
  pipeline: 'provision',
  layer: 'provisioning-role',
  account: undefined,
  summary: 'The provisioning role trusts another principal',
  resolution: 'repaired',
  resolvedAt: hoursAgo(2),
  repairRunId: 'run-repair-0',
};

const run = (id: string): RunRecord => ({
  id,
  pipeline: 'bootstrap',
  mode: 'apply',
  region: 'dev-kirk-us-east-2',
  status: 'queued',
  requestedBy: 'user:default/kirk',
  createdAt: hoursAgo(0),
});

function api(overrides: Partial<AccountMintingApi> = {}) {
  return {
    listFindings: jest.fn(async () => [
      tagsFinding,
      strayFinding,
      resolvedFinding,
    ]),
    listRegions: async () =>
      [
        { name: 'dev-kirk-us-east-2', environment: 'dev' },
        { name: 'dev-uhura-us-east-2', environment: 'dev' },
      ] as RegionSummary[],
    repairFinding: jest.fn(async () => run('run-repair')),
    listRuns: jest.fn(async (): Promise<Page<RunRecord>> => ({ items: [] })),
    getConfig: async () => configFixture(),
    startDriftCheck: jest.fn(async () => ({
      ...run('run-check'),
      mode: 'check' as const,
      region: '*',
    })),
    ...overrides,
  };
}

/** Shows where the view put its filters. */
function LocationProbe() {
  return <div data-testid="location">{useLocation().search}</div>;
}

function renderDrift(
  stub: ReturnType<typeof api>,
  authorize:
    | AuthorizeResult.ALLOW
    | AuthorizeResult.DENY = AuthorizeResult.DENY,
  url = '/account-minting/drift',
) {
  return renderInTestApp(
    <FreshPermissions>
      <Routes>
        <Route
          path="/account-minting/drift"
          element={
            <>
              <DriftView />
              <LocationProbe />
            </>
          }
        />
        <Route path="/account-minting/runs/:runId" element={<RunProbe />} />
        <Route
          path="/account-minting/approvals/:changeId"
          element={<ChangeProbe />}
        />
      </Routes>
    </FreshPermissions>,
    {
      initialRouteEntries: [url],
      apis: [[accountMintingApiRef, stub], mockApis.permission({ authorize })],
    },
  );
}

function ChangeProbe() {
  return <p>change page {useLocation().pathname}</p>;
}

function RunProbe() {
  return <p>run page {useLocation().pathname}</p>;
}

const rowOf = (text: string) => screen.getByText(text).closest('tr')!;

describe('DriftView', () => {
  it('lists the findings one line each, and opens a row to show its diff key by key', async () => {
    const stub = api();
    renderDrift(stub);

    expect(
      await screen.findByText('The managed tags differ'),
    ).toBeInTheDocument();
    expect(stub.listFindings).toHaveBeenCalledWith({ status: 'open' });

    const tags = rowOf('The managed tags differ');
    expect(within(tags).getByText('tags')).toBeInTheDocument();
    expect(
      within(tags).getByRole('link', { name: 'dev-kirk-us-east-2-mc1' }),
    ).toHaveAttribute(
      'href',
      '/account-minting/accounts/dev-kirk-us-east-2-mc1',
    );
    expect(within(tags).getByText('open')).toBeInTheDocument();
    // Closed, the row shows no diff: it stays one line tall.
    expect(
      within(tags).queryByText('owner: kirk → spock'),
    ).not.toBeInTheDocument();

    const toggle = within(tags).getByRole('button', {
      name: 'Details of The managed tags differ',
    });
    expect(toggle).toHaveAttribute('aria-expanded', 'false');
    await userEvent.click(toggle);
    expect(toggle).toHaveAttribute('aria-expanded', 'true');
    const differences = within(tags).getByRole('list', {
      name: 'Differences (desired → observed)',
    });
    expect(
      within(differences)
        .getAllByRole('listitem')
        .map(item => item.textContent),
    ).toEqual(['owner: kirk → spock']);
    expect(
      within(tags).getByRole('link', { name: 'dev-kirk-us-east-2' }),
    ).toHaveAttribute('href', '/account-minting?q=dev-kirk-us-east-2');
    expect(tags).toHaveTextContent(
      'First seen 3 hours ago, last seen 1 hour ago',
    );
    expect(
      within(tags).getByRole('link', { name: 'check run' }),
    ).toHaveAttribute('href', '/account-minting/runs/check-1');

    await userEvent.click(toggle);
    expect(
      within(tags).queryByText('owner: kirk → spock'),
    ).not.toBeInTheDocument();

    const resolved = rowOf('The provisioning role trusts another principal');
    expect(
      within(resolved).getByRole('link', { name: 'dev-kirk-us-east-2' }),
    ).toBeInTheDocument();
    // The state and its time as one text, which the status's flex layout cannot squeeze together.
    expect(
      within(resolved).getByText('repaired 2 hours ago'),
    ).toBeInTheDocument();

    // Without the permission to run pipelines, nothing can be started here.
    expect(
      screen.queryByRole('button', { name: /^Repair/ }),
    ).not.toBeInTheDocument();
    expect(
      screen.queryByRole('button', { name: /^Check .* now$/ }),
    ).not.toBeInTheDocument();
  });

  it('keeps every column to a fixed width, which together fit the page at 1280 px', async () => {
    renderDrift(api(), AuthorizeResult.ALLOW);
    await screen.findByText('The managed tags differ');

    // The page beside the open sidebar (224 px), its padding (2 × 24 px) and a scrollbar.
    const available = 1280 - 224 - 2 * 24 - 16;
    const widths = Object.values(COLUMN_WIDTHS);
    expect(
      widths.reduce((sum, width) => sum + width + 2 * CELL_PADDING_PX, 0),
    ).toBeLessThanOrEqual(available);

    const headers = screen
      .getAllByRole('columnheader')
      .map(header => header.textContent);
    expect(headers).toEqual([
      '',
      'Layer',
      'Where',
      'Summary',
      'State',
      'Actions',
    ]);
    const cells = within(rowOf('The managed tags differ')).getAllByRole('cell');
    cells.forEach((cell, i) =>
      expect(cell).toHaveStyle({
        width: `${widths[i]}px`,
        whiteSpace: 'nowrap',
      }),
    );
  });

  it('shows the finding a link points at first, opened and highlighted, with the state filter it carries', async () => {
    const fixedFinding: DriftFinding = {
      ...resolvedFinding,
      id: 'f-fixed',
      summary: 'The tags were put back by hand',
      resolution: 'fixed',
    };
    const stub = api({
      listFindings: jest.fn(async () => [fixedFinding, resolvedFinding]),
    });
    renderDrift(
      stub,
      AuthorizeResult.DENY,
      '/account-minting/drift?finding=f-role&state=repaired',
    );

    const linked = await screen.findByText(
      'The provisioning role trusts another principal',
    );
    expect(stub.listFindings).toHaveBeenCalledWith({ status: 'resolved' });
    // Only the repaired findings show: the fixed one does not.
    expect(
      screen.queryByText('The tags were put back by hand'),
    ).not.toBeInTheDocument();
    const row = linked.closest('tr')!;
    expect(row).toHaveStyle({
      backgroundColor: 'rgba(33, 150, 243, 0.12)',
    });
    expect(
      within(row).getByRole('button', {
        name: 'Details of The provisioning role trusts another principal',
      }),
    ).toHaveAttribute('aria-expanded', 'true');
    expect(
      within(row).getByRole('link', { name: 'repair run' }),
    ).toHaveAttribute('href', '/account-minting/runs/run-repair-0');
    expect(
      within(screen.getByRole('group', { name: 'Filters' })).getByRole(
        'button',
        { name: /State/ },
      ),
    ).toHaveTextContent('repaired');
  });

  it('offers every state when the linked finding is not among those the filter shows', async () => {
    const stub = api({
      listFindings: jest.fn(async (filter?: { status?: string }) =>
        filter?.status === 'open'
          ? [tagsFinding]
          : [tagsFinding, resolvedFinding],
      ),
    });
    renderDrift(
      stub,
      AuthorizeResult.DENY,
      '/account-minting/drift?finding=f-role',
    );

    expect(
      await screen.findByText(
        /The linked finding is not among the open findings/,
      ),
    ).toBeInTheDocument();
    await userEvent.click(
      screen.getByRole('button', { name: 'Show findings in every state' }),
    );
    expect(
      await screen.findByText('The provisioning role trusts another principal'),
    ).toBeInTheDocument();
    expect(screen.getByTestId('location')).toHaveTextContent(
      '?state=all&finding=f-role',
    );
    expect(
      screen.queryByText(/The linked finding is not among/),
    ).not.toBeInTheDocument();
  });

  it('reads its filters from the URL and passes them to the backend', async () => {
    const stub = api();
    renderDrift(
      stub,
      AuthorizeResult.DENY,
      '/account-minting/drift?state=resolved&layer=tags&region=dev-kirk-us-east-2&environment=dev',
    );
    await screen.findByText('The managed tags differ');
    expect(stub.listFindings).toHaveBeenCalledWith({
      status: 'resolved',
      layer: 'tags',
      region: 'dev-kirk-us-east-2',
      environment: 'dev',
    });
  });

  it('filters by state and layer, keeping the filters in the URL', async () => {
    const user = userEvent.setup();
    const stub = api();
    renderDrift(stub);
    await screen.findByText('The managed tags differ');
    const filters = within(screen.getByRole('group', { name: 'Filters' }));

    await user.click(filters.getByRole('button', { name: /State/ }));
    await user.click(screen.getByRole('option', { name: 'all' }));
    await waitFor(() => expect(stub.listFindings).toHaveBeenLastCalledWith({}));
    expect(screen.getByTestId('location')).toHaveTextContent('?state=all');

    await user.click(filters.getByRole('button', { name: /Layer/ }));
    await user.click(screen.getByRole('option', { name: 'provisioner' }));
    await waitFor(() =>
      expect(stub.listFindings).toHaveBeenLastCalledWith({
        layer: 'provisioner',
      }),
    );
    expect(screen.getByTestId('location')).toHaveTextContent(
      '?state=all&layer=provisioner',
    );
  });

  it('repairs an open, repairable finding for a user allowed to, then opens the run', async () => {
    const stub = api();
    renderDrift(stub, AuthorizeResult.ALLOW);

    const repair = await screen.findByRole('button', {
      name: 'Repair The managed tags differ',
    });
    // A stray account cannot be repaired, and a resolved finding needs no repair.
    expect(screen.getAllByRole('button', { name: /^Repair/ })).toHaveLength(1);

    // Enabled once it knows that dev needs no approval.
    await waitFor(() => expect(repair).toBeEnabled());
    await userEvent.click(repair);
    expect(stub.repairFinding).toHaveBeenCalledWith('f-tags', {
      reason: undefined,
    });
    expect(
      await screen.findByText('run page /account-minting/runs/run-repair'),
    ).toBeInTheDocument();
  });

  it('asks for a reason and the region name before a repair in prod, which waits for approval', async () => {
    const prodFinding = {
      ...tagsFinding,
      environment: 'prod',
      region: 'prod-us-east-1',
      account: 'prod-us-east-1-rc',
    };
    const stub = api({
      listFindings: jest.fn(async () => [prodFinding]),
      getConfig: async () => withApproval(configFixture(), 'prod'),
      repairFinding: jest.fn(async () => ({
        change: { id: 'change-1' } as ChangeRequest,
      })),
    });
    renderDrift(stub, AuthorizeResult.ALLOW);

    const repair = await screen.findByRole('button', {
      name: 'Repair The managed tags differ',
    });
    await waitFor(() => expect(repair).toHaveTextContent('needs approval'));
    await userEvent.click(repair);
    const dialog = await screen.findByRole('dialog');
    expect(dialog).toHaveTextContent(
      'Changes in prod wait for 2 approvals by group:default/platform-approvers',
    );
    const confirm = within(dialog).getByRole('button', {
      name: 'Repair for approval',
    });
    expect(confirm).toBeDisabled();
    await userEvent.type(
      within(dialog).getByLabelText('Reason (required)'),
      'tags edited by hand',
    );
    expect(confirm).toBeDisabled();
    await userEvent.type(
      within(dialog).getByLabelText('Type prod-us-east-1 to confirm'),
      'prod-us-east-1',
    );
    await userEvent.click(confirm);
    expect(stub.repairFinding).toHaveBeenCalledWith('f-tags', {
      reason: 'tags edited by hand',
    });
    expect(
      await screen.findByText(
        'change page /account-minting/approvals/change-1',
      ),
    ).toBeInTheDocument();
  });

  it('adopts a stray account into its region, prefilled in the first free slot', async () => {
    const stub = api({
      listFindings: jest.fn(async () => [
        {
          ...strayFinding,
          region: 'dev-kirk-us-east-2',
          accountId: '400000000901',
        },
      ]),
      getRegion: async () => {
        const region = testRegion();
        return {
          ...region,
          accounts: [
            ...region.accounts,
            { ...region.accounts[2], name: 'dev-kirk-us-east-2-mc2', index: 2 },
          ],
        };
      },
      getEstate: async () => estateFixture(),
    });
    renderDrift(stub, AuthorizeResult.ALLOW);

    await userEvent.click(
      await screen.findByRole('button', {
        name: 'Adopt stray-sandbox into dev-kirk-us-east-2',
      }),
    );
    const dialog = await screen.findByRole('dialog');
    expect(
      await within(dialog).findByLabelText('management-cluster [2]'),
    ).toHaveValue('400000000901');
    expect(
      screen.queryByRole('button', { name: /^Repair An account no desired/ }),
    ).not.toBeInTheDocument();
  });

  it('offers no adoption to a user who may not change the region', async () => {
    renderDrift(
      api({
        listFindings: jest.fn(async () => [
          { ...strayFinding, accountId: '400000000901' },
        ]),
      }),
    );

    expect(
      await screen.findByText('An account no desired region has'),
    ).toBeInTheDocument();
    expect(
      screen.queryByRole('button', { name: /^Adopt / }),
    ).not.toBeInTheDocument();
  });

  it('says why a repair could not start', async () => {
    const stub = api({
      repairFinding: jest.fn(async () => {
        throw new Error('a run of bootstrap is already going on');
      }),
    });
    renderDrift(stub, AuthorizeResult.ALLOW);

    const repair = await screen.findByRole('button', {
      name: 'Repair The managed tags differ',
    });
    await waitFor(() => expect(repair).toBeEnabled());
    await userEvent.click(repair);
    expect(
      screen.getAllByText(/a run of bootstrap is already going on/).length,
    ).toBeGreaterThan(0);
    expect(screen.getByText('The managed tags differ')).toBeInTheDocument();
  });

  it('shows when each pipeline was last checked', async () => {
    const stub = api({
      listRuns: jest.fn(async (filter?: RunFilter) => {
        expect(filter).toMatchObject({ region: '*' });
        const checks: Record<string, RunRecord[]> = {
          mint: [
            {
              ...run('check-mint'),
              pipeline: 'mint',
              mode: 'check',
              region: '*',
              status: 'succeeded',
              finishedAt: minutesAgo(5),
            },
          ],
          bootstrap: [
            {
              ...run('check-bootstrap'),
              mode: 'check',
              region: '*',
              status: 'failed',
              finishedAt: hoursAgo(1),
            },
          ],
        };
        return { items: checks[filter?.pipeline ?? ''] ?? [] };
      }),
    });
    renderDrift(stub);

    const mint = await screen.findByRole('listitem', { name: 'mint check' });
    expect(
      await within(mint).findByRole('link', { name: 'checked 5 minutes ago' }),
    ).toHaveAttribute('href', '/account-minting/runs/check-mint');
    expect(
      screen.getByRole('listitem', { name: 'bootstrap check' }),
    ).toHaveTextContent('check failed 1 hour ago');
    expect(
      screen.getByRole('listitem', { name: 'provision check' }),
    ).toHaveTextContent('never checked');
  });

  it('starts a drift check now and follows it in place, keeping the table and its filter', async () => {
    let check: RunRecord | undefined;
    const listFindings = jest.fn(async () => [tagsFinding]);
    const stub = api({
      listFindings,
      listRuns: jest.fn(async (filter?: RunFilter) => ({
        items: check && filter?.pipeline === 'provision' ? [check] : [],
      })),
      startDriftCheck: jest.fn(async () => {
        check = {
          ...run('run-check'),
          pipeline: 'provision' as const,
          mode: 'check' as const,
          region: '*',
          status: 'running' as const,
        };
        return check;
      }),
    });
    renderDrift(
      stub,
      AuthorizeResult.ALLOW,
      '/account-minting/drift?layer=tags',
    );
    const row = (await screen.findByText('The managed tags differ')).closest(
      'tr',
    )!;
    const provision = screen.getByRole('listitem', { name: 'provision check' });
    await within(provision).findByText('never checked');

    await userEvent.click(
      within(provision).getByRole('button', { name: 'Check provision now' }),
    );
    expect(stub.startDriftCheck).toHaveBeenCalledWith('provision');
    expect(
      await within(provision).findByRole('link', { name: /^checking now/ }),
    ).toHaveAttribute('href', '/account-minting/runs/run-check');
    expect(
      within(provision).getByRole('button', { name: 'Check provision now' }),
    ).toBeDisabled();
    // The view stayed: the same table row, the same filter.
    expect(row).toBeInTheDocument();
    expect(screen.getByTestId('location')).toHaveTextContent('?layer=tags');

    // Once the check finishes, its findings are read again.
    const reads = listFindings.mock.calls.length;
    check = { ...check!, status: 'succeeded', finishedAt: hoursAgo(0) };
    expect(
      await within(provision).findByRole('link', { name: /^checked/ }),
    ).toBeInTheDocument();
    await waitFor(() =>
      expect(listFindings.mock.calls.length).toBeGreaterThan(reads),
    );
    expect(row).toBeInTheDocument();
  });

  it('says when there is no drift, and offers to check now', async () => {
    renderDrift(
      api({ listFindings: jest.fn(async () => []) }),
      AuthorizeResult.ALLOW,
    );

    expect(await screen.findByText('No drift found')).toBeInTheDocument();
    expect(screen.getByText(/Drift checks run on a schedule/)).toBeVisible();
    expect(
      screen.getByRole('button', { name: 'Check mint now' }),
    ).toBeInTheDocument();
  });

  it('offers to clear the filters when no finding matches them', async () => {
    const stub = api({
      listFindings: jest.fn(async (filter?: { layer?: string }) =>
        filter?.layer ? [] : [tagsFinding],
      ),
    });
    renderDrift(
      stub,
      AuthorizeResult.DENY,
      '/account-minting/drift?layer=tags',
    );

    await userEvent.click(
      await screen.findByRole('button', { name: 'Clear the filters' }),
    );
    expect(
      await screen.findByText('The managed tags differ'),
    ).toBeInTheDocument();
    expect(stub.listFindings).toHaveBeenLastCalledWith({ status: 'open' });
  });

  it('says when the backend does not answer', async () => {
    renderDrift(
      api({
        listFindings: jest.fn(async () => {
          throw new Error('connect ECONNREFUSED 127.0.0.1:7007');
        }),
      }),
    );
    expect(
      await screen.findByText(/The account-minting backend did not answer/),
    ).toBeInTheDocument();
  });
});
