import { renderInTestApp } from '@backstage/frontend-test-utils';
import {
  act,
  configure,
  screen,
  waitFor,
  within,
} from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  AccountMintingApi,
  RegionSummary,
  RunFilter,
  RunRecord,
} from '@regional-minting/plugin-account-minting-common';
import { useLocation } from 'react-router-dom';
import { accountMintingApiRef } from '../../api';
import { RunsList } from './RunsList';

// Rendering in jsdom, the mocked API's answers and the polling take a while on a loaded
// machine: generous waits, so that it is slow, never failing.
configure({ asyncUtilTimeout: 20_000 });
jest.setTimeout(60_000);

const failedRun: RunRecord = {
  id: 'run-2',
  pipeline: 'bootstrap',
  mode: 'apply',
  region: 'dev-kirk-us-east-2',
  account: 'dev-kirk-us-east-2-rc',
  status: 'failed',
  requestedBy: 'user:default/jane',
  createdAt: '2026-01-02T10:00:00Z',
  startedAt: '2026-01-02T10:00:01Z',
  finishedAt: '2026-01-02T10:02:06Z',
  error: 'AccessDenied: the role cannot be assumed',
};

const succeededRun: RunRecord = {
  id: 'run-1',
  pipeline: 'mint',
  mode: 'apply',
  region: 'prod-spock-eu-west-1',
  status: 'succeeded',
  requestedBy: 'user:default/joe',
  createdAt: '2026-01-01T10:00:00Z',
  startedAt: '2026-01-01T10:00:00Z',
  finishedAt: '2026-01-01T10:00:30Z',
};

/** Shows where the list put its filters, and where its links went. */
function LocationProbe() {
  const location = useLocation();
  return (
    <>
      <div data-testid="location">{location.search}</div>
      <div data-testid="path">{location.pathname}</div>
    </>
  );
}

function filterNamed(name: RegExp) {
  return within(screen.getByRole('group', { name: 'Filters' })).getByRole(
    'button',
    { name },
  );
}

/** Renders the list on a backend whose page of the newest 200 runs `runsOf` gives. */
function renderList(
  runsOf: (filter?: RunFilter) => Promise<RunRecord[]>,
  url = '/account-minting/runs',
) {
  const listRuns: AccountMintingApi['listRuns'] = async ({
    limit,
    ...filter
  } = {}) => {
    expect(limit).toBe(200);
    return { items: await runsOf(filter) };
  };
  const listRegions = async () =>
    [
      { name: 'dev-kirk-us-east-2' },
      { name: 'prod-spock-eu-west-1' },
    ] as RegionSummary[];
  return renderInTestApp(
    <>
      <RunsList />
      <LocationProbe />
    </>,
    {
      apis: [[accountMintingApiRef, { listRuns, listRegions }]],
      initialRouteEntries: [url],
    },
  );
}

describe('RunsList', () => {
  it('lists the runs with their status, each linking to its page', async () => {
    const listRuns = jest.fn(async () => [failedRun, succeededRun]);
    renderList(listRuns);

    const link = await screen.findByRole('link', {
      name: 'dev-kirk-us-east-2',
    });
    expect(link).toHaveAttribute(
      'href',
      '/account-minting/regions/dev-kirk-us-east-2',
    );
    expect(screen.getByRole('link', { name: 'Run run-2' })).toHaveAttribute(
      'href',
      '/account-minting/runs/run-2',
    );
    expect(
      screen.getByRole('link', { name: 'prod-spock-eu-west-1' }),
    ).toHaveAttribute('href', '/account-minting/regions/prod-spock-eu-west-1');
    expect(screen.getByRole('link', { name: 'Run run-1' })).toHaveAttribute(
      'href',
      '/account-minting/runs/run-1',
    );

    const failedRow = link.closest('tr')!;
    expect(within(failedRow).getByText('failed')).toBeInTheDocument();
    expect(within(failedRow).getByText('bootstrap')).toBeInTheDocument();
    expect(
      within(failedRow).getByText('dev-kirk-us-east-2-rc'),
    ).toBeInTheDocument();
    expect(within(failedRow).getByText('2m 05s')).toBeInTheDocument();
    expect(
      within(failedRow).getByText('AccessDenied: the role cannot be assumed'),
    ).toBeInTheDocument();

    const succeededRow = screen
      .getByRole('link', { name: 'prod-spock-eu-west-1' })
      .closest('tr')!;
    expect(within(succeededRow).getByText('succeeded')).toBeInTheDocument();
    expect(within(succeededRow).getByText('whole region')).toBeInTheDocument();
    expect(listRuns).toHaveBeenCalledWith({});
  });

  it('opens the region from its link, and the run from the rest of the row', async () => {
    // The table tells a click from a double click by waiting: let the test pass that time.
    jest.useFakeTimers();
    try {
      const user = userEvent.setup({ advanceTimers: jest.advanceTimersByTime });
      renderList(async () => [failedRun, succeededRun]);

      await user.click(
        await screen.findByRole('link', { name: 'dev-kirk-us-east-2' }),
      );
      await act(async () => {
        jest.advanceTimersByTime(1000);
      });
      expect(screen.getByTestId('path')).toHaveTextContent(
        /^\/account-minting\/regions\/dev-kirk-us-east-2$/,
      );

      await user.click(screen.getByText('bootstrap'));
      await act(async () => {
        jest.advanceTimersByTime(1000);
      });
      expect(screen.getByTestId('path')).toHaveTextContent(
        /^\/account-minting\/runs\/run-2$/,
      );
    } finally {
      jest.useRealTimers();
    }
  });

  it('keeps requester names whole, and leaves out columns no run has a value in', async () => {
    const queued: RunRecord = {
      ...succeededRun,
      id: 'run-3',
      status: 'queued',
      startedAt: undefined,
      finishedAt: undefined,
    };
    renderList(async () => [queued]);

    const requester = await screen.findByText('user:default/joe');
    expect(requester.closest('td')).toHaveStyle({ whiteSpace: 'nowrap' });
    const headers = screen
      .getAllByRole('columnheader')
      .map(header => header.textContent);
    expect(headers).toContain('Requested by');
    expect(headers).not.toContain('Error');
    expect(headers).not.toContain('Duration');
  });

  it('shows the error and duration columns when a run has them', async () => {
    renderList(async () => [failedRun, succeededRun]);

    await screen.findByRole('link', { name: 'dev-kirk-us-east-2' });
    const headers = screen
      .getAllByRole('columnheader')
      .map(header => header.textContent);
    expect(headers).toEqual(
      expect.arrayContaining(['Error', 'Duration', 'Account']),
    );
  });

  it('reads its filters from the URL and passes them to the backend', async () => {
    const listRuns = jest.fn(async () => [failedRun]);
    renderList(
      listRuns,
      '/account-minting/runs?region=dev-kirk-us-east-2&pipeline=bootstrap&status=failed,cancelled',
    );

    expect(
      await screen.findByRole('link', { name: 'dev-kirk-us-east-2' }),
    ).toBeInTheDocument();
    expect(listRuns).toHaveBeenCalledWith({
      region: 'dev-kirk-us-east-2',
      pipeline: 'bootstrap',
      status: ['failed', 'cancelled'],
    });
    expect(filterNamed(/Status/)).toHaveTextContent('failed, cancelled');
  });

  it('filters by pipeline and status, keeping the filters in the URL', async () => {
    const user = userEvent.setup();
    const listRuns = jest.fn(async () => [failedRun, succeededRun]);
    renderList(listRuns);
    await screen.findByRole('link', { name: 'dev-kirk-us-east-2' });

    await user.click(filterNamed(/Pipeline/));
    await user.click(screen.getByRole('option', { name: 'mint' }));
    await waitFor(() =>
      expect(listRuns).toHaveBeenLastCalledWith({ pipeline: 'mint' }),
    );
    expect(screen.getByTestId('location')).toHaveTextContent('?pipeline=mint');

    await user.click(filterNamed(/Status/));
    await user.click(screen.getByRole('option', { name: 'failed' }));
    await user.click(screen.getByRole('option', { name: 'running' }));
    await waitFor(() =>
      expect(listRuns).toHaveBeenLastCalledWith({
        pipeline: 'mint',
        status: ['failed', 'running'],
      }),
    );
    expect(screen.getByTestId('location')).toHaveTextContent(
      '?pipeline=mint&status=failed%2Crunning',
    );
  });

  it('offers to request a region when there is no run yet', async () => {
    renderList(async () => []);

    expect(await screen.findByText('No runs yet')).toBeInTheDocument();
    expect(
      screen.getByRole('button', { name: 'Request a region' }),
    ).toHaveAttribute('href', '/account-minting/new');
  });

  it('offers to clear the filters when no run matches them', async () => {
    const user = userEvent.setup();
    const listRuns = jest.fn(async (filter?: { pipeline?: string }) =>
      filter?.pipeline ? [] : [succeededRun],
    );
    renderList(listRuns, '/account-minting/runs?pipeline=provision');

    expect(
      await screen.findByText('No run matches these filters'),
    ).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Clear the filters' }));

    expect(
      await screen.findByRole('link', { name: 'prod-spock-eu-west-1' }),
    ).toBeInTheDocument();
    expect(listRuns).toHaveBeenLastCalledWith({});
    expect(screen.getByTestId('location')).toHaveTextContent(/^$/);
  });

  it('says when the backend does not answer', async () => {
    renderList(async () => {
      throw new Error('connect ECONNREFUSED 127.0.0.1:7007');
    });

    expect(
      await screen.findByText(/The account-minting backend did not answer/),
    ).toBeInTheDocument();
  });
});
