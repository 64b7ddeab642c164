import { mockApis, renderInTestApp } from '@backstage/frontend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  AccountMintingApi,
  RunWithSteps,
  StepRecord,
} from '@regional-minting/plugin-account-minting-common';
import { configure, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { convertLegacyRouteRef } from '@backstage/core-compat-api';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { Route, Routes } from 'react-router-dom';
import { accountMintingApiRef } from '../../api';
import {
  configFixture,
  estateFixture,
} from '@regional-minting/plugin-account-minting-common/testUtils';
import { FreshPermissions } from '../../__testUtils__/permissions';
import {
  decommissionPlan,
  testRunRecord,
} from '../../__testUtils__/testRegion';
import { AccountView } from './AccountView';

// Rendering in jsdom, the mocked API's answers and the polling take a while on a loaded
// machine: generous waits, so that it is slow, never failing.
configure({ asyncUtilTimeout: 20_000 });
jest.setTimeout(60_000);

const ACCOUNT = 'dev-kirk-us-east-2-mc1';

function step(kind: string, status: StepRecord['status']): StepRecord {
  return {
    id: `${kind}-1`,
    runId: 'x',
    key: kind,
    kind,
    title: kind,
    target: {
      payer: 'staging-2',
      regionOu: 'dev-kirk-us-east-2',
      account: ACCOUNT,
    },
    dependsOn: [],
    status,
    attempts: 1,
    startedAt: '2026-11-28T10:00:00.000Z',
    finishedAt: '2026-11-28T10:02:30.000Z',
  };
}

const regionRun: RunWithSteps = {
  id: 'run-1',
  pipeline: 'region',
  mode: 'apply',
  region: 'dev-kirk-us-east-2',
  status: 'succeeded',
  requestedBy: 'user:default/kirk',
  createdAt: '2026-11-28T10:00:00.000Z',
  steps: [
    step('mint-account', 'succeeded'),
    step('bootstrap-account', 'succeeded'),
    step('provision-account', 'succeeded'),
  ],
};
const provisionRun: RunWithSteps = {
  ...regionRun,
  id: 'run-2',
  pipeline: 'provision',
  account: ACCOUNT,
  status: 'failed',
  steps: [step('provision-account', 'failed')],
};
const otherAccountRun: RunWithSteps = {
  ...regionRun,
  id: 'run-9',
  pipeline: 'bootstrap',
  account: 'dev-kirk-us-east-2-rc',
};

function api(overrides: Partial<AccountMintingApi> = {}) {
  const runs = [provisionRun, otherAccountRun, regionRun];
  return {
    getEstate: async () => estateFixture(),
    getConfig: async () => configFixture(),
    listRuns: jest.fn(async () => ({ items: runs })),
    getRun: async (id: string) => runs.find(r => r.id === id)!,
    startRun: jest.fn(async () => ({ ...provisionRun, id: 'run-new' })),
    ...overrides,
  };
}

async function renderAccount(
  stub: ReturnType<typeof api>,
  authorize: AuthorizeResult.ALLOW | AuthorizeResult.DENY,
) {
  return renderInTestApp(
    <FreshPermissions>
      <Routes>
        <Route
          path="/account-minting/accounts/:accountName"
          element={<AccountView />}
        />
        <Route path="/account-minting/runs/:runId" element={<p>run page</p>} />
      </Routes>
    </FreshPermissions>,
    {
      initialRouteEntries: [`/account-minting/accounts/${ACCOUNT}`],
      apis: [[accountMintingApiRef, stub], mockApis.permission({ authorize })],
      mountedRoutes: {
        '/catalog/:namespace/:kind/:name':
          convertLegacyRouteRef(entityRouteRef),
      },
    },
  );
}

describe('AccountView', () => {
  it("shows where the account is, its tags, and each pipeline's runs on it", async () => {
    const stub = api();
    await renderAccount(stub, AuthorizeResult.DENY);

    expect(
      await screen.findByText(
        'Root / rosa-regional-platform / dev / dev-kirk-us-east-2',
      ),
    ).toBeInTheDocument();
    expect(
      screen.getByText('aws+dev-kirk-us-east-2-mc1@example.com'),
    ).toBeInTheDocument();
    expect(screen.getByText('account-minting')).toBeInTheDocument();
    expect(stub.listRuns).toHaveBeenCalledWith({
      region: 'dev-kirk-us-east-2',
    });

    const rows = within(screen.getByRole('table', { name: 'pipeline runs' }))
      .getAllByRole('row')
      .slice(1)
      .map(row => row.textContent);
    // The other account's bootstrap run is not this account's.
    expect(rows).toHaveLength(4);
    expect(rows[0]).toMatch(/^mintsucceededregion run/);
    expect(rows[1]).toMatch(/^bootstrapsucceededregion run/);
    expect(rows[2]).toMatch(/^provisionfailedprovision run.*2m 30s$/);
    expect(rows[3]).toMatch(/^provisionsucceededregion run/);
    expect(screen.getByRole('link', { name: 'provision run' })).toHaveAttribute(
      'href',
      '/account-minting/runs/run-2',
    );
    expect(
      screen.queryByRole('button', { name: 'Run provision' }),
    ).not.toBeInTheDocument();
  });

  it('shows tag keys as AWS has them, its region apart from its AWS region, and its catalog entity', async () => {
    await renderAccount(api(), AuthorizeResult.DENY);

    const tags = within(
      (await screen.findByText('managed-by')).closest('table')!,
    );
    expect(tags.getByText('managed-by')).toBeInTheDocument();
    expect(tags.getByText('region')).toBeInTheDocument();
    expect(screen.queryByText('Managed By')).not.toBeInTheDocument();

    const rowOf = (label: string) =>
      within(screen.getByText(label).closest('tr')!);
    expect(
      rowOf('Region').getByRole('link', { name: 'dev-kirk-us-east-2' }),
    ).toHaveAttribute('href', '/account-minting/regions/dev-kirk-us-east-2');
    expect(rowOf('AWS region').getByText('us-east-2')).toBeInTheDocument();
    expect(
      rowOf('Catalog').getByRole('link', { name: `resource:${ACCOUNT}` }),
    ).toHaveAttribute('href', `/catalog/default/resource/${ACCOUNT}`);
  });

  it('runs one pipeline on the account for a user allowed to, then opens the run', async () => {
    const stub = api();
    await renderAccount(stub, AuthorizeResult.ALLOW);

    await userEvent.click(
      await screen.findByRole('button', { name: 'Run bootstrap' }),
    );
    expect(stub.startRun).toHaveBeenCalledWith({
      pipeline: 'bootstrap',
      region: 'dev-kirk-us-east-2',
      account: ACCOUNT,
    });
    expect(await screen.findByText('run page')).toBeInTheDocument();
  });

  it('decommissions the account alone through the dialog, once the region name is typed', async () => {
    const stub = api({
      decommission: jest.fn(async (_name: string, body: { dryRun?: boolean }) =>
        body.dryRun
          ? decommissionPlan()
          : testRunRecord('run-decommission', { pipeline: 'decommission' }),
      ),
    });
    await renderAccount(stub, AuthorizeResult.ALLOW);

    await userEvent.click(
      await screen.findByRole('button', { name: 'Decommission account' }),
    );
    const dialog = await screen.findByRole('dialog');
    expect(
      await within(dialog).findByTestId('plan-close-quota'),
    ).toBeInTheDocument();
    expect(stub.decommission).toHaveBeenCalledWith('dev-kirk-us-east-2', {
      accounts: [ACCOUNT],
      dryRun: true,
    });
    await userEvent.type(
      within(dialog).getByLabelText('Type dev-kirk-us-east-2 to confirm'),
      'dev-kirk-us-east-2',
    );
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Decommission' }),
    );
    expect(stub.decommission).toHaveBeenLastCalledWith('dev-kirk-us-east-2', {
      accounts: [ACCOUNT],
      reason: undefined,
    });
    expect(
      await within(dialog).findByRole('link', { name: 'its run' }),
    ).toHaveAttribute('href', '/account-minting/runs/run-decommission');
  });

  it('says so when the account is not in the estate', async () => {
    await renderInTestApp(
      <Routes>
        <Route
          path="/account-minting/accounts/:accountName"
          element={<AccountView />}
        />
      </Routes>,
      {
        initialRouteEntries: ['/account-minting/accounts/nobody'],
        apis: [[accountMintingApiRef, api()]],
      },
    );
    expect(
      await screen.findByText('No account nobody in the estate'),
    ).toBeInTheDocument();
  });
});
