import { configure, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { mockApis, renderInTestApp } from '@backstage/frontend-test-utils';
import {
  AccountMintingApi,
  PlanResponse,
  RegionRequestError,
  RegionRequestResponse,
} from '@regional-minting/plugin-account-minting-common';
import { configFixture } from '@regional-minting/plugin-account-minting-common/testUtils';
import { Route, Routes, useParams } from 'react-router-dom';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { accountMintingApiRef } from '../../api';
import { FreshPermissions } from '../../__testUtils__/permissions';
import { NewRegionForm } from './NewRegionForm';

// Rendering in jsdom, the mocked API's answers and the polling take a while on a loaded
// machine: generous waits, so that it is slow, never failing.
configure({ asyncUtilTimeout: 20_000 });
jest.setTimeout(60_000);

const config = configFixture();

const plan: PlanResponse = {
  region: 'dev-kirk-us-east-2',
  plan: {
    region: 'dev-kirk-us-east-2',
    payer: 'staging-2',
    changes: 2,
    actions: [
      {
        action: 'create-ou',
        target: 'dev-kirk-us-east-2',
        parentPath: 'rosa-regional-platform/dev',
        name: 'dev-kirk-us-east-2',
        reason: 'the region OU does not exist',
      },
      {
        action: 'create-account',
        target: 'dev-kirk-us-east-2-rc',
        email: 'aws+dev-kirk-us-east-2-rc@example.com',
        tags: {},
        reason: 'the account does not exist',
      },
    ],
  },
};

function stubApi(overrides: Partial<AccountMintingApi> = {}) {
  return {
    getConfig: jest.fn(async () => config),
    planRegion: jest.fn(async () => plan),
    requestRegion: jest.fn(
      async () => ({ run: { id: 'run-42' } } as RegionRequestResponse),
    ),
    ...overrides,
  };
}

function RunShown() {
  return <p>Run page of {useParams().runId}</p>;
}

// Synchronous: awaiting here would let the config load outside act().
function renderForm(
  options: {
    api?: ReturnType<typeof stubApi>;
    permission?: ReturnType<typeof mockApis.permission>;
  } = {},
) {
  const api = options.api ?? stubApi();
  renderInTestApp(
    <FreshPermissions>
      <Routes>
        <Route path="/account-minting/new" element={<NewRegionForm />} />
        <Route path="/account-minting/runs/:runId" element={<RunShown />} />
      </Routes>
    </FreshPermissions>,
    {
      initialRouteEntries: ['/account-minting/new'],
      apis: [
        [accountMintingApiRef, api],
        mockApis.identity({ userEntityRef: 'user:default/kirk' }),
        options.permission ?? mockApis.permission(),
      ],
    },
  );
  return api;
}

async function renderReadyForm(options: Parameters<typeof renderForm>[0] = {}) {
  const api = renderForm(options);
  await screen.findByLabelText(/^Environment/);
  return api;
}

const { ALLOW, DENY } = AuthorizeResult;

const field = (label: RegExp | string) => screen.getByLabelText(label);
const requestButton = () =>
  screen.getByRole('button', { name: 'Request region' });

function optionsOf(select: HTMLElement): string[] {
  return within(select)
    .getAllByRole('option')
    .map(option => (option as HTMLOptionElement).value)
    .filter(value => value !== '');
}

async function fillInDevRegion() {
  await userEvent.selectOptions(field(/^Environment/), 'dev');
  await waitFor(() => expect(field(/^Owner/)).toHaveValue('kirk'));
  await userEvent.selectOptions(field(/^Region/), 'us-east-2');
  // The permission is checked for the environment, asynchronously.
  await waitFor(() => expect(requestButton()).toBeEnabled());
}

describe('NewRegionForm', () => {
  it("offers only the chosen environment's regions", async () => {
    await renderReadyForm();

    await userEvent.selectOptions(field(/^Environment/), 'prod');
    expect(optionsOf(field(/^Region/))).toEqual(['us-east-1', 'eu-west-2']);
    await userEvent.selectOptions(field(/^Region/), 'eu-west-2');

    await userEvent.selectOptions(field(/^Environment/), 'int');
    expect(optionsOf(field(/^Region/))).toEqual(['us-east-2']);
    expect(field(/^Region/)).toHaveValue('');
  });

  it('asks for an owner only where region names carry one, prefilled with the user', async () => {
    await renderReadyForm();

    await userEvent.selectOptions(field(/^Environment/), 'prod');
    expect(screen.queryByLabelText(/^Owner/)).not.toBeInTheDocument();

    await fillInDevRegion();
    expect(screen.getByText('dev-kirk-us-east-2')).toBeInTheDocument();
    expect(screen.getByText(/dev-kirk-us-east-2-mc1/)).toBeInTheDocument();

    await userEvent.clear(field(/^Owner/));
    await userEvent.type(field(/^Owner/), 'spock');
    expect(screen.getByText('dev-spock-us-east-2')).toBeInTheDocument();
  });

  it('shows a count above the maximum beside its field and will not submit', async () => {
    await renderReadyForm();
    await fillInDevRegion();
    const count = field('management-cluster');
    expect(count).toHaveAccessibleDescription('default 2, at most 10');

    await userEvent.clear(count);
    await userEvent.type(count, '11');

    expect(count).toHaveAccessibleDescription(
      'the count of management-cluster must be a whole number from 0 to 10',
    );
    expect(requestButton()).toBeDisabled();
  });

  it('previews the plan of the region, and drops it once a field changes', async () => {
    const api = await renderReadyForm();
    await fillInDevRegion();

    await userEvent.click(screen.getByRole('button', { name: 'Preview plan' }));

    expect(
      await screen.findByText(
        'Plan for dev-kirk-us-east-2 in payer staging-2: 2 changes',
      ),
    ).toBeInTheDocument();
    const table = screen.getByRole('table', { name: 'plan' });
    expect(within(table).getByText('create-ou')).toBeInTheDocument();
    expect(
      within(table).getByText('dev-kirk-us-east-2-rc'),
    ).toBeInTheDocument();
    expect(api.planRegion).toHaveBeenCalledWith({
      environment: 'dev',
      region: 'us-east-2',
      owner: 'kirk',
      accountRoles: { 'regional-cluster': 1, 'management-cluster': 2 },
    });

    await userEvent.selectOptions(field(/^Region/), 'eu-west-1');
    expect(
      screen.queryByRole('table', { name: 'plan' }),
    ).not.toBeInTheDocument();
  });

  it("shows the backend's refusal of a field beside that field", async () => {
    const api = stubApi({
      requestRegion: jest.fn(async () => {
        throw new RegionRequestError('owner kirk has a region there', {
          owner: 'owner kirk already has a region in us-east-2',
        });
      }),
    });
    await renderReadyForm({ api });
    await fillInDevRegion();

    await userEvent.click(requestButton());

    await waitFor(() =>
      expect(field(/^Owner/)).toHaveAccessibleDescription(
        'owner kirk already has a region in us-east-2',
      ),
    );
  });

  it('goes to the run minting the region once it is requested', async () => {
    const api = await renderReadyForm();
    await fillInDevRegion();

    await userEvent.click(requestButton());

    expect(await screen.findByText('Run page of run-42')).toBeInTheDocument();
    expect(api.requestRegion).toHaveBeenCalledWith(
      expect.objectContaining({ environment: 'dev', region: 'us-east-2' }),
    );
  });

  it('will not request a region where the user may not', async () => {
    await renderReadyForm({
      permission: mockApis.permission({
        authorize: request =>
          'resourceRef' in request && request.resourceRef === 'stage'
            ? DENY
            : ALLOW,
      }),
    });

    await userEvent.selectOptions(field(/^Environment/), 'stage');
    await userEvent.selectOptions(field(/^Region/), 'us-east-1');

    expect(
      await screen.findByText('You may not request regions in stage'),
    ).toBeInTheDocument();
    expect(requestButton()).toBeDisabled();
  });

  it('says how to configure payers and environments when there are none', async () => {
    renderForm({
      api: stubApi({
        getConfig: jest.fn(async () => ({ ...config, environments: [] })),
      }),
    });

    expect(
      await screen.findByText(/No environments are configured/),
    ).toBeInTheDocument();
    expect(
      screen.getByText(
        /Declare accountMinting.payers and accountMinting.environments in app-config.yaml, then restart the backend/,
      ),
    ).toBeInTheDocument();
  });
});
