import { mockApis, renderInTestApp } from '@backstage/frontend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  AccountMintingApi,
  PlanResponse,
  RegionRequestError,
  RegionSummary,
} from '@regional-minting/plugin-account-minting-common';
import {
  configFixture,
  estateFixture,
  withApproval,
} from '@regional-minting/plugin-account-minting-common/testUtils';
import { configure, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Route, Routes, useParams } from 'react-router-dom';
import { accountMintingApiRef } from '../../api';
import { FreshPermissions } from '../../__testUtils__/permissions';
import {
  decommissionPlan,
  testRegion,
  testRunRecord,
} from '../../__testUtils__/testRegion';
import { RegionView } from './RegionView';

// Rendering in jsdom, the mocked API's answers and the polling take a while on a loaded
// machine: generous waits, so that it is slow, never failing.
configure({ asyncUtilTimeout: 20_000 });
jest.setTimeout(60_000);

const REGION = 'dev-kirk-us-east-2';

const scalePlan: PlanResponse = {
  region: REGION,
  plan: {
    region: REGION,
    payer: 'staging-2',
    changes: 1,
    actions: [
      {
        action: 'create-account',
        target: `${REGION}-mc2`,
        email: `aws+${REGION}-mc2@example.com`,
        tags: {},
        reason: 'the account does not exist',
      },
    ],
    quota: {
      payer: 'staging-2',
      quota: 10,
      quotaSource: 'config',
      accounts: 6,
      left: 4,
      needed: 1,
    },
  },
};

function api(
  region: RegionSummary = testRegion(),
  overrides: Partial<AccountMintingApi> = {},
) {
  return {
    getRegion: jest.fn(async () => region),
    getEstate: async () => estateFixture(),
    getConfig: async () => configFixture(),
    scaleRegion: jest.fn(async (_name: string, body: { dryRun?: boolean }) =>
      body.dryRun ? scalePlan : testRunRecord('run-scale'),
    ),
    decommission: jest.fn(async (_name: string, body: { dryRun?: boolean }) =>
      body.dryRun
        ? decommissionPlan()
        : testRunRecord('run-decommission', { pipeline: 'decommission' }),
    ),
    ...overrides,
  };
}

function Shown(props: { what: string }) {
  const params = useParams();
  return (
    <p>
      {props.what} {Object.values(params).join()}
    </p>
  );
}

/** How the mocked permission API decides: one result for all, or per request. */
type Authorize = NonNullable<
  NonNullable<Parameters<typeof mockApis.permission>[0]>['authorize']
>;

function renderRegion(
  stub: ReturnType<typeof api>,
  authorize: Authorize = AuthorizeResult.ALLOW,
) {
  return renderInTestApp(
    <FreshPermissions>
      <Routes>
        <Route path="/account-minting/regions/:name" element={<RegionView />} />
        <Route
          path="/account-minting/runs/:runId"
          element={<Shown what="run page" />}
        />
        <Route
          path="/account-minting/approvals/:changeId"
          element={<Shown what="change page" />}
        />
      </Routes>
    </FreshPermissions>,
    {
      initialRouteEntries: [`/account-minting/regions/${REGION}`],
      apis: [[accountMintingApiRef, stub], mockApis.permission({ authorize })],
    },
  );
}

const confirmField = () => screen.getByLabelText(`Type ${REGION} to confirm`);

describe('RegionView', () => {
  it("shows the region's summary, its accounts with their ids, and its last run", async () => {
    await renderRegion(api(), AuthorizeResult.DENY);

    expect(await screen.findByText('user:default/kirk')).toBeInTheDocument();
    expect(screen.getByTestId('region-status')).toHaveTextContent('active');
    const accounts = within(screen.getByRole('table', { name: 'accounts' }));
    expect(
      accounts.getByRole('link', { name: `${REGION}-mc1` }),
    ).toHaveAttribute('href', `/account-minting/accounts/${REGION}-mc1`);
    expect(accounts.getByText('400000000103')).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'region run' })).toHaveAttribute(
      'href',
      '/account-minting/runs/run-1',
    );
    expect(
      screen.getByText(`You may not change regions in dev.`),
    ).toBeInTheDocument();
    expect(
      screen.queryByRole('button', { name: 'Decommission region' }),
    ).not.toBeInTheDocument();
  });

  it('previews a scale with its plan and quota, then applies it once the name is typed', async () => {
    const stub = api();
    await renderRegion(stub);

    const count = await screen.findByLabelText('management-cluster');
    expect(count).toHaveValue(2);
    await userEvent.clear(count);
    await userEvent.type(count, '11');
    expect(
      screen.getByText('At most 10 management-cluster accounts'),
    ).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Preview' })).toBeDisabled();

    await userEvent.clear(count);
    await userEvent.type(count, '3');
    await userEvent.click(screen.getByRole('button', { name: 'Preview' }));
    expect(stub.scaleRegion).toHaveBeenCalledWith(REGION, {
      accountRoles: { 'regional-cluster': 1, 'management-cluster': 3 },
      dryRun: true,
    });
    const plan = await screen.findByRole('table', { name: 'plan' });
    expect(
      within(plan).getByRole('row', {
        name: new RegExp(`create-account ${REGION}-mc2`),
      }),
    ).toBeInTheDocument();
    expect(screen.getByTestId('plan-quota')).toHaveTextContent(
      'Payer staging-2: 6 of 10 accounts',
    );

    await userEvent.click(
      screen.getByRole('button', { name: 'Apply the new counts' }),
    );
    const dialog = await screen.findByRole('dialog');
    const apply = within(dialog).getByRole('button', { name: 'Apply' });
    expect(apply).toBeDisabled();
    await userEvent.type(confirmField(), REGION);
    await userEvent.click(apply);
    expect(stub.scaleRegion).toHaveBeenLastCalledWith(REGION, {
      accountRoles: { 'regional-cluster': 1, 'management-cluster': 3 },
      reason: undefined,
    });
    expect(await screen.findByText('run page run-scale')).toBeInTheDocument();
  });

  it('lets a user who may add accounts but not close them scale up only', async () => {
    await renderRegion(api(), request =>
      request.permission.name === 'account-minting.region.decommission'
        ? AuthorizeResult.DENY
        : AuthorizeResult.ALLOW,
    );

    const count = await screen.findByLabelText('management-cluster');
    await userEvent.clear(count);
    await userEvent.type(count, '1');
    expect(
      screen.getByText(
        'You may not close accounts in dev, as fewer accounts do.',
      ),
    ).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Preview' })).toBeDisabled();
    expect(
      screen.queryByRole('button', { name: 'Decommission region' }),
    ).not.toBeInTheDocument();
    expect(
      screen.getByRole('button', { name: 'Adopt accounts' }),
    ).toBeInTheDocument();

    await userEvent.clear(count);
    await userEvent.type(count, '3');
    expect(screen.getByRole('button', { name: 'Preview' })).toBeEnabled();
  });

  it("puts the backend's refusal of a count beside its field", async () => {
    const stub = api(testRegion(), {
      scaleRegion: jest.fn(async () => {
        throw new RegionRequestError('too many', {
          'accountRoles.management-cluster':
            'the payer has room for 1 more account',
        });
      }),
    });
    await renderRegion(stub);

    const count = await screen.findByLabelText('management-cluster');
    await userEvent.clear(count);
    await userEvent.type(count, '9');
    await userEvent.click(screen.getByRole('button', { name: 'Preview' }));
    await waitFor(() =>
      expect(count).toHaveAccessibleDescription(
        'the payer has room for 1 more account',
      ),
    );
  });

  it('says why a region declared in configuration is scaled there, and offers no decommission', async () => {
    await renderRegion(api(testRegion({ source: 'config' })));

    expect(
      await screen.findByText(/is declared in configuration/),
    ).toBeInTheDocument();
    expect(
      screen.queryByLabelText('management-cluster'),
    ).not.toBeInTheDocument();
    expect(
      screen.getByRole('button', { name: 'Decommission region' }),
    ).toBeDisabled();
  });

  it('decommissions the region from its plan, only once its name is typed, and links to the run', async () => {
    // Once the decommission started, the region reads as decommissioning.
    let started = false;
    const stub = api(testRegion(), {
      getRegion: async () =>
        testRegion({ status: started ? 'decommissioning' : 'active' }),
      decommission: jest.fn(async (_name, body) => {
        if (body.dryRun) return decommissionPlan();
        started = true;
        return testRunRecord('run-decommission', { pipeline: 'decommission' });
      }),
    });
    await renderRegion(stub);

    await userEvent.click(
      await screen.findByRole('button', { name: 'Decommission region' }),
    );
    const dialog = await screen.findByRole('dialog');
    const summaryLine = (what: string) =>
      within(dialog).getByText(`${what}:`).parentElement;
    expect(
      (await within(dialog).findByText('Accounts closed:')).parentElement,
    ).toHaveTextContent(`${REGION}-rc, ${REGION}-mc0, ${REGION}-mc1`);
    expect(summaryLine('Provisioning destroyed')).toHaveTextContent(
      `${REGION}-rc/cluster`,
    );
    expect(summaryLine('OU deleted')).toHaveTextContent(REGION);
    expect(within(dialog).getByTestId('plan-close-quota')).toHaveTextContent(
      /2 closures left of 10 in the 30-day window; next slot .*2026.*This plan closes 3; 1 wait/,
    );
    expect(stub.decommission).toHaveBeenCalledWith(REGION, {
      accounts: undefined,
      dryRun: true,
    });

    const confirm = within(dialog).getByRole('button', {
      name: 'Decommission',
    });
    expect(confirm).toBeDisabled();
    await userEvent.type(confirmField(), `${REGION}x`);
    expect(confirm).toBeDisabled();
    await userEvent.clear(confirmField());
    await userEvent.type(confirmField(), REGION);
    expect(confirm).toBeEnabled();
    await userEvent.click(confirm);

    expect(stub.decommission).toHaveBeenLastCalledWith(REGION, {
      accounts: undefined,
      reason: undefined,
    });
    expect(
      await within(dialog).findByRole('link', { name: 'its run' }),
    ).toHaveAttribute('href', '/account-minting/runs/run-decommission');
    // The view follows the region's new status, the outcome staying shown.
    await waitFor(() =>
      expect(screen.getByTestId('region-status')).toHaveTextContent(
        'decommissioning',
      ),
    );
    expect(
      within(dialog).getByRole('link', { name: 'its run' }),
    ).toBeInTheDocument();
  });

  it('asks for a reason where the environment needs approval, and links to the change', async () => {
    const stub = api(testRegion(), {
      getConfig: async () => withApproval(configFixture(), 'dev'),
      decommission: jest.fn(async (_name: string, body: { dryRun?: boolean }) =>
        body.dryRun
          ? decommissionPlan()
          : ({ change: { id: 'change-7' } } as any),
      ),
    });
    await renderRegion(stub);

    await userEvent.click(
      await screen.findByRole('button', { name: 'Decommission region' }),
    );
    const dialog = await screen.findByRole('dialog');
    await userEvent.type(
      await within(dialog).findByLabelText(`Type ${REGION} to confirm`),
      REGION,
    );
    const confirm = within(dialog).getByRole('button', {
      name: 'Decommission for approval',
    });
    expect(confirm).toBeDisabled();
    await userEvent.type(
      within(dialog).getByLabelText('Reason (required)'),
      'kirk left the team',
    );
    await userEvent.click(confirm);

    expect(stub.decommission).toHaveBeenLastCalledWith(REGION, {
      accounts: undefined,
      reason: 'kirk left the team',
    });
    expect(
      await within(dialog).findByRole('link', { name: 'the change request' }),
    ).toHaveAttribute('href', '/account-minting/approvals/change-7');
  });

  it('shows a decommissioned region with who and when, and no actions', async () => {
    await renderRegion(
      api(
        testRegion({
          status: 'decommissioned',
          decommissionedBy: 'user:default/spock',
          decommissionedAt: '2026-11-29T10:00:00.000Z',
        }),
      ),
    );

    expect(
      await screen.findByText(/is decommissioned by user:default\/spock/),
    ).toBeInTheDocument();
    expect(screen.getByTestId('region-status')).toHaveTextContent(
      'decommissioned',
    );
    expect(
      screen.queryByRole('button', { name: 'Decommission region' }),
    ).not.toBeInTheDocument();
    expect(
      screen.queryByRole('button', { name: 'Adopt accounts' }),
    ).not.toBeInTheDocument();
    expect(
      screen.queryByLabelText('management-cluster'),
    ).not.toBeInTheDocument();
  });
});
