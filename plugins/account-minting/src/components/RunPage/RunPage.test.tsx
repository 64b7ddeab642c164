import { configFixture } from '@regional-minting/plugin-account-minting-common/testUtils';
import { NotFoundError } from '@backstage/errors';
import { mockApis, renderInTestApp } from '@backstage/frontend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
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
  LogLine,
  LogQuery,
  RunWithSteps,
  RegionSummary,
} from '@regional-minting/plugin-account-minting-common';
import { useLocation, useNavigationType } from 'react-router-dom';
import { accountMintingApiRef } from '../../api';
import { FreshPermissions } from '../../__testUtils__/permissions';
import { RunPage } from './RunPage';
import {
  at,
  failedTestRun,
  testRun,
  testStep,
} from '../../__testUtils__/testRuns';

// Rendering in jsdom, the mocked API's answers and the polling take a while on a loaded
// machine: generous waits, so that it is slow, never failing.
configure({ asyncUtilTimeout: 20_000 });
jest.setTimeout(60_000);

// jsdom lays nothing out, so give the log viewer's virtual list a size to render lines in.
jest.mock('react-virtualized-auto-sizer', () => ({
  __esModule: true,
  default: (props: {
    children(size: { width: number; height: number }): JSX.Element;
  }) => props.children({ width: 800, height: 400 }),
}));

const failedRun = failedTestRun();

function logLine(id: number, stepId: string, message: string): LogLine {
  return { id, stepId, time: at(id), level: 'info', message };
}

/** Shows the address the page is at, and how it got there. */
function LocationProbe() {
  const location = useLocation();
  const navigationType = useNavigationType();
  return (
    <div data-testid="location" data-navigation={navigationType}>
      {location.search}
    </div>
  );
}

/** Renders the page on a backend whose log lines `getRunLogs` gives, one page each. */
function renderRunPage(
  {
    getRunLogs = async () => [],
    ...api
  }: Omit<Partial<AccountMintingApi>, 'getRunLogs'> & {
    getRunLogs?: (id: string, query?: LogQuery) => Promise<LogLine[]>;
  },
  authorize:
    | AuthorizeResult.ALLOW
    | AuthorizeResult.DENY = AuthorizeResult.ALLOW,
  url = '/account-minting/runs/run-1',
) {
  const pagedLogs: AccountMintingApi['getRunLogs'] = async (id, query) => ({
    items: await getRunLogs(id, query),
  });
  return renderInTestApp(
    <FreshPermissions>
      <RunPage />
      <LocationProbe />
    </FreshPermissions>,
    {
      apis: [
        [
          accountMintingApiRef,
          {
            getRunLogs: pagedLogs,
            // Its region is in dev, where changes need no approval.
            getRegion: async () => ({ environment: 'dev' } as RegionSummary),
            getConfig: async () => configFixture(),
            ...api,
          },
        ],
        mockApis.permission({ authorize }),
      ],
      mountPath: '/account-minting/runs/:runId',
      initialRouteEntries: [url],
    },
  );
}

describe('RunPage', () => {
  afterEach(() => {
    jest.useRealTimers();
  });

  it("shows a failed step's error and logs", async () => {
    const getRun = jest.fn(async () => failedRun);
    const getRunLogs = jest.fn(
      async (_id: string, query?: { stepId?: string }) =>
        query?.stepId === 'step-bootstrap:rc'
          ? [
              logLine(1, 'step-bootstrap:rc', 'assuming the bootstrap role'),
              {
                ...logLine(2, 'step-bootstrap:rc', 'AccessDenied'),
                level: 'error' as const,
              },
            ]
          : [],
    );
    renderRunPage({ getRun, getRunLogs }, AuthorizeResult.DENY);

    expect(await screen.findByText(/The run failed/)).toBeInTheDocument();
    expect(
      screen.getByText(
        'Bootstrap rc: AccessDenied: the role cannot be assumed',
      ),
    ).toBeInTheDocument();
    // The failed step is the one shown first.
    expect(
      screen.getByRole('button', { name: /^Bootstrap rc,/ }),
    ).toHaveAttribute('aria-pressed', 'true');
    expect(
      screen.getByText('AccessDenied: the role cannot be assumed'),
    ).toBeInTheDocument();

    expect(screen.getByText('Plan: 1 change')).toBeInTheDocument();
    expect(
      screen.getByText('the account lacks its owner tag'),
    ).toBeInTheDocument();

    const logs = await screen.findByTestId('step-logs');
    expect(
      await within(logs).findByText(/assuming the bootstrap role/),
    ).toBeInTheDocument();
    expect(getRun).toHaveBeenCalledWith('run-1');
    expect(getRunLogs).toHaveBeenCalledWith('run-1', {
      stepId: 'step-bootstrap:rc',
      after: undefined,
    });
  });

  it('shows the logs of the step selected in the timeline', async () => {
    const user = userEvent.setup();
    const getRunLogs = jest.fn(async () => []);
    renderRunPage({ getRun: async () => failedRun, getRunLogs });

    await user.click(
      await screen.findByRole('button', { name: /^Mint the region OU,/ }),
    );

    expect(
      await screen.findByText('This step wrote no log.'),
    ).toBeInTheDocument();
    expect(getRunLogs).toHaveBeenLastCalledWith('run-1', {
      stepId: 'step-ou',
      after: undefined,
    });
  });

  it('says a step that goes on has no log lines yet', async () => {
    renderRunPage({ getRun: async () => testRun() }, AuthorizeResult.DENY);

    expect(
      await screen.findByRole('button', { name: /^Bootstrap rc, running/ }),
    ).toHaveAttribute('aria-pressed', 'true');
    expect(await screen.findByText('No log lines yet')).toBeInTheDocument();
    expect(
      screen.queryByText('This step wrote no log.'),
    ).not.toBeInTheDocument();
  });

  it('opens the step the address names, and puts the step selected in the address', async () => {
    const user = userEvent.setup();
    renderRunPage(
      { getRun: async () => failedRun },
      AuthorizeResult.DENY,
      '/account-minting/runs/run-1?step=ou',
    );

    // Not the failed step, which shows when the address names none.
    expect(
      await screen.findByRole('button', { name: /^Mint the region OU,/ }),
    ).toHaveAttribute('aria-pressed', 'true');
    expect(
      screen.getByRole('button', { name: /^Bootstrap rc,/ }),
    ).toHaveAttribute('aria-pressed', 'false');

    await user.click(screen.getByRole('button', { name: /^Bootstrap rc,/ }));

    expect(
      screen.getByRole('button', { name: /^Bootstrap rc,/ }),
    ).toHaveAttribute('aria-pressed', 'true');
    const location = screen.getByTestId('location');
    expect(location).toHaveTextContent('?step=bootstrap%3Arc');
    // The address is replaced, so that Back leaves the run rather than steps through it.
    expect(location).toHaveAttribute('data-navigation', 'REPLACE');
  });

  it('says an account step created the account and moved it into its region OU', async () => {
    const ouPath = 'Root/rosa-regional-platform/dev/dev-kirk-us-east-2';
    const run = testRun({
      status: 'succeeded',
      steps: [
        testStep('account:rc', {
          kind: 'mint-account',
          title: 'Mint account rc',
          target: {
            payer: 'dev',
            regionOu: 'dev-kirk-us-east-2',
            account: 'dev-kirk-us-east-2-rc',
          },
          startedAt: at(0),
          finishedAt: at(30),
          plan: {
            actions: [
              {
                action: 'create-account',
                target: 'dev-kirk-us-east-2-rc',
                email: 'rc@example.com',
                tags: {},
                reason: 'no account has the email rc@example.com',
              },
              {
                action: 'move-account',
                target: 'dev-kirk-us-east-2-rc',
                to: ouPath,
                reason: 'a new account starts in the root',
              },
            ],
          },
          outputs: { accountId: '123456789012', email: 'rc@example.com' },
        }),
      ],
    });
    renderRunPage({ getRun: async () => run }, AuthorizeResult.DENY);

    expect(await screen.findByTestId('step-outcome')).toHaveTextContent(
      `Created account 123456789012 and moved it to OU ${ouPath}.`,
    );
  });

  it("gives a retried step's duration without the idle time between its attempts, and counts them all", async () => {
    const run = failedTestRun();
    run.steps[1] = {
      ...run.steps[1],
      // The run's retry gave the step its attempts afresh; its first attempt failed before it.
      attempts: 1,
      startedAt: at(10),
      finishedAt: at(60),
      attemptSpans: [
        { startedAt: at(10), finishedAt: at(20) },
        { startedAt: at(40), finishedAt: at(60) },
      ],
    };
    renderRunPage({ getRun: async () => run }, AuthorizeResult.DENY);

    await screen.findByRole('heading', { name: 'Bootstrap rc' });
    // The run's summary has a duration too; the step's comes after it.
    const durations = screen.getAllByText('Duration');
    expect(durations[durations.length - 1].closest('tr')).toHaveTextContent(
      /^Duration30\.0s$/,
    );
    // As its timeline counts them.
    expect(screen.getByText('Attempts').closest('tr')).toHaveTextContent(
      /^Attempts2, 1 since the run was retried$/,
    );
  });

  it('says which pipeline and payers a drift check checked', async () => {
    const check = testRun({
      mode: 'check',
      pipeline: 'bootstrap',
      region: '*',
      status: 'succeeded',
      finishedAt: at(20),
      steps: ['staging-2', 'control'].map(payer =>
        testStep(`check:${payer}`, {
          kind: 'check',
          title: `Check ${payer}`,
          target: { payer, regionOu: '*' },
          startedAt: at(0),
          finishedAt: at(20),
        }),
      ),
    });
    renderRunPage({ getRun: async () => check }, AuthorizeResult.DENY);

    expect(
      await screen.findByText(
        'Drift check of bootstrap across payers staging-2, control',
      ),
    ).toBeInTheDocument();
    expect(screen.getByText('staging-2, control')).toBeInTheDocument();
    expect(
      screen.getByRole('link', { name: 'Drift checks of bootstrap' }),
    ).toHaveAttribute(
      'href',
      '/account-minting/runs?region=*&pipeline=bootstrap',
    );
    expect(screen.queryByText('Region')).not.toBeInTheDocument();
    expect(screen.queryByText(/Runs of/)).not.toBeInTheDocument();
    // Its first step checked the first payer's whole platform OU.
    expect(
      screen.getByText('every region OU of staging-2'),
    ).toBeInTheDocument();
    expect(screen.queryByText('*')).not.toBeInTheDocument();
  });

  it('retries a failed run for who may execute runs', async () => {
    const user = userEvent.setup();
    const getRun = jest.fn(async () => failedRun);
    const retryRun = jest.fn(async () => failedRun);
    renderRunPage({ getRun, retryRun });

    await user.click(await screen.findByRole('button', { name: 'Retry run' }));

    expect(retryRun).toHaveBeenCalledWith('run-1', { reason: undefined });
    await waitFor(() => expect(getRun).toHaveBeenCalledTimes(2));
  });

  it('offers no retry without the permission to execute runs', async () => {
    renderRunPage({ getRun: async () => failedRun }, AuthorizeResult.DENY);

    expect(await screen.findByText(/The run failed/)).toBeInTheDocument();
    expect(
      screen.queryByRole('button', { name: 'Retry run' }),
    ).not.toBeInTheDocument();
    expect(
      screen.queryByRole('button', { name: 'Cancel run' }),
    ).not.toBeInTheDocument();
  });

  it('cancels a running run, and shows why the backend refused', async () => {
    const user = userEvent.setup();
    const cancelRun = jest.fn(async () => {
      throw new Error('the run already finished');
    });
    renderRunPage({ getRun: async () => testRun(), cancelRun });

    await user.click(await screen.findByRole('button', { name: 'Cancel run' }));
    expect(
      screen.queryByRole('button', { name: 'Retry run' }),
    ).not.toBeInTheDocument();

    expect(cancelRun).toHaveBeenCalledWith('run-1');
    expect(
      await screen.findByText('the run already finished'),
    ).toBeInTheDocument();
  });

  it('follows a running run and its logs until it succeeds', async () => {
    jest.useFakeTimers();
    const running = testRun();
    const succeeded = testRun({
      status: 'succeeded',
      finishedAt: at(120),
      steps: running.steps.map(step => ({
        ...step,
        status: 'succeeded' as const,
        startedAt: step.startedAt ?? at(60),
        finishedAt: step.finishedAt ?? at(120),
      })),
    });
    const getRun = jest
      .fn<Promise<RunWithSteps>, [string]>()
      .mockResolvedValueOnce(running)
      .mockResolvedValue(succeeded);
    const getRunLogs = jest.fn(async (_id: string, query?: LogQuery) => {
      if (query?.after === undefined) {
        return [logLine(1, 'step-bootstrap:rc', 'installing the baseline')];
      }
      return query.after === 1
        ? [logLine(2, 'step-bootstrap:rc', 'baseline installed')]
        : [];
    });
    renderRunPage({ getRun, getRunLogs }, AuthorizeResult.DENY);

    expect(
      await screen.findByRole('button', { name: /^Bootstrap rc, running/ }),
    ).toBeInTheDocument();
    expect(
      await screen.findByText(/installing the baseline/),
    ).toBeInTheDocument();

    await act(async () => {
      jest.advanceTimersByTime(2000);
    });

    expect(
      await screen.findByRole('button', { name: /^Bootstrap rc, succeeded/ }),
    ).toBeInTheDocument();
    expect(await screen.findByText(/baseline installed/)).toBeInTheDocument();
    expect(screen.getByText(/installing the baseline/)).toBeInTheDocument();
    expect(getRunLogs).toHaveBeenCalledWith('run-1', {
      stepId: 'step-bootstrap:rc',
      after: 1,
    });
    expect(getRun).toHaveBeenCalledTimes(2);

    // Neither a finished run nor a finished step's logs are asked for again.
    const logReads = getRunLogs.mock.calls.length;
    await act(async () => {
      jest.advanceTimersByTime(10_000);
    });
    expect(getRun).toHaveBeenCalledTimes(2);
    expect(getRunLogs).toHaveBeenCalledTimes(logReads);
  });

  it('says when the run does not exist', async () => {
    renderRunPage({
      getRun: async () => {
        throw new NotFoundError('no run run-1');
      },
    });

    expect(
      await screen.findByText('This run does not exist'),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('button', { name: 'Back to the runs' }),
    ).toHaveAttribute('href', '/account-minting/runs');
  });
});
