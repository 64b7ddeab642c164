import { configure, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { mockApis, renderInTestApp } from '@backstage/frontend-test-utils';
import {
  AccountMintingApi,
  PlanResponse,
  RegionRequestError,
  RegionRequestResponse,
} from '@regional-minting/plugin-account-minting-common';
import {
  configFixture,
  withApproval,
} from '@regional-minting/plugin-account-minting-common/testUtils';
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

/** How the backend answers for a region it does not know. */
function notFound(name: string) {
  return Object.assign(new Error(`no region ${name}`), {
    name: 'NotFoundError',
  });
}

function stubApi(overrides: Partial<AccountMintingApi> = {}) {
  return {
    getConfig: jest.fn(async () => config),
    getRegion: jest.fn(async (name: string) => {
      throw notFound(name);
    }),
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
    user?: string;
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
        mockApis.identity({
          userEntityRef: options.user ?? 'user:default/kirk',
        }),
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
/** The portal's menu selects are buttons named by their label and value. */
const select = (label: 'Environment' | 'Region') =>
  screen.getByRole('button', { name: new RegExp(`^${label}`) });

async function choose(label: 'Environment' | 'Region', option: string) {
  await userEvent.click(select(label));
  await userEvent.click(
    await screen.findByRole('option', { name: new RegExp(`^${option}\\b`) }),
  );
  await waitFor(() =>
    expect(screen.queryByRole('listbox')).not.toBeInTheDocument(),
  );
}

async function optionsOf(label: 'Environment' | 'Region'): Promise<string[]> {
  await userEvent.click(select(label));
  const options = within(await screen.findByRole('listbox'))
    .getAllByRole('option')
    .filter(option => option.getAttribute('aria-disabled') !== 'true')
    .map(option => option.textContent);
  await userEvent.keyboard('{Escape}');
  await waitFor(() =>
    expect(screen.queryByRole('listbox')).not.toBeInTheDocument(),
  );
  return options as string[];
}

async function fillInDevRegion() {
  await choose('Environment', 'dev');
  await waitFor(() => expect(field(/^Owner/)).toHaveValue('kirk'));
  await choose('Region', 'us-east-2');
  // The permission is checked for the environment, asynchronously.
  await waitFor(() => expect(requestButton()).toBeEnabled());
}

describe('NewRegionForm', () => {
  it("offers only the chosen environment's regions", async () => {
    await renderReadyForm();

    expect(await optionsOf('Environment')).toEqual([
      'prod (payer control)',
      'int (payer staging-1)',
      'stage (payer staging-1)',
      'dev (payer staging-2)',
    ]);
    await choose('Environment', 'prod');
    expect(await optionsOf('Region')).toEqual(['us-east-1', 'eu-west-2']);
    await choose('Region', 'eu-west-2');
    expect(select('Region')).toHaveTextContent('eu-west-2');

    await choose('Environment', 'int');
    expect(await optionsOf('Region')).toEqual(['us-east-2']);
    expect(select('Region')).toHaveTextContent('Choose a region');
  });

  it('asks for an owner only where region names carry one, prefilled with the user', async () => {
    await renderReadyForm();

    await choose('Environment', 'prod');
    expect(field(/^Owner/)).toBeDisabled();
    expect(field(/^Owner/)).toHaveAccessibleDescription(
      'prod region names carry no owner',
    );

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
    const count = field('Management cluster accounts');
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

    await choose('Region', 'eu-west-1');
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

    await choose('Environment', 'stage');
    await choose('Region', 'us-east-1');

    expect(
      await screen.findByText('You may not request regions in stage'),
    ).toBeInTheDocument();
    expect(requestButton()).toBeDisabled();
  });

  it('says beside Owner, as it is typed, when the owner makes an account name too long', async () => {
    const api = await renderReadyForm();
    await fillInDevRegion();
    const owner = 'a'.repeat(40);

    await userEvent.clear(field(/^Owner/));
    await userEvent.type(field(/^Owner/), owner);

    expect(field(/^Owner/)).toHaveAccessibleDescription(
      `Owner makes the account name "dev-${owner}-us-east-2-mc1" 58 characters long; at most 50`,
    );
    expect(requestButton()).toBeDisabled();

    await userEvent.click(screen.getByRole('button', { name: 'Preview plan' }));

    // The counts are not to blame, and say so no more than before.
    expect(field('Regional cluster accounts')).toHaveAccessibleDescription(
      'default 1, at most 1',
    );
    expect(field('Management cluster accounts')).toHaveAccessibleDescription(
      'default 2, at most 10',
    );
    expect(screen.queryByText(/accountName:/)).not.toBeInTheDocument();
    expect(api.planRegion).not.toHaveBeenCalled();
  });

  it("puts the backend's refusal of the counts together beside the counts", async () => {
    const quota =
      'payer staging-2 has 9 of its 10 accounts; the region needs 3';
    const api = stubApi({
      planRegion: jest.fn(async () => {
        throw new RegionRequestError(quota, { accountRoles: quota });
      }),
    });
    await renderReadyForm({ api });
    await fillInDevRegion();

    await userEvent.click(screen.getByRole('button', { name: 'Preview plan' }));

    await waitFor(() =>
      expect(field('Regional cluster accounts')).toHaveAccessibleDescription(
        quota,
      ),
    );
  });

  it('refuses a region without the accounts a role must have, beside that count', async () => {
    const regionalClusterNeeded = {
      ...config,
      accountRoles: config.accountRoles.map(role =>
        role.name === 'regional-cluster'
          ? { ...role, count: 1, minCount: 1, maxCount: 3 }
          : role,
      ),
    };
    const api = stubApi({
      getConfig: jest.fn(async () => regionalClusterNeeded),
    });
    await renderReadyForm({ api });
    await fillInDevRegion();
    const count = field('Regional cluster accounts');
    expect(count).toHaveAccessibleDescription(
      'default 1, at least 1, at most 3',
    );

    await userEvent.clear(count);
    await userEvent.type(count, '0');
    await userEvent.clear(field('Management cluster accounts'));
    await userEvent.type(field('Management cluster accounts'), '0');

    expect(count).toHaveAccessibleDescription(
      'a region needs at least 1 regional-cluster account (its minCount)',
    );
    expect(requestButton()).toBeDisabled();
    await userEvent.click(screen.getByRole('button', { name: 'Preview plan' }));
    expect(api.planRegion).not.toHaveBeenCalled();
  });

  it('says that a region exists, links to it, and does not offer to request it again', async () => {
    const api = stubApi({
      getRegion: jest.fn(async (name: string) => {
        if (name === 'dev-kirk-us-east-2') return {} as never;
        throw notFound(name);
      }),
    });
    await renderReadyForm({ api });
    await choose('Environment', 'dev');
    await choose('Region', 'us-east-2');

    const note = await screen.findByRole('status');
    expect(note).toHaveTextContent(
      'The region dev-kirk-us-east-2 exists: change its accounts on its page.',
    );
    expect(
      within(note).getByRole('link', { name: 'dev-kirk-us-east-2' }),
    ).toHaveAttribute('href', '/account-minting/regions/dev-kirk-us-east-2');
    expect(
      screen.queryByRole('button', { name: /^Request region/ }),
    ).not.toBeInTheDocument();
    // Its plan still shows what a run would repair.
    await userEvent.click(screen.getByRole('button', { name: 'Preview plan' }));
    expect(
      await screen.findByRole('table', { name: 'plan' }),
    ).toBeInTheDocument();

    await choose('Region', 'eu-west-1');
    await waitFor(() => expect(requestButton()).toBeEnabled());
    expect(screen.queryByRole('status')).not.toBeInTheDocument();
  });

  it('asks for a preview of the current values before a region that needs approval is requested', async () => {
    const api = stubApi({
      getConfig: jest.fn(async () => withApproval(config, 'prod')),
    });
    await renderReadyForm({ api });
    await choose('Environment', 'prod');
    await choose('Region', 'us-east-1');
    const request = () =>
      screen.getByRole('button', { name: 'Request region for approval' });
    expect(request()).toBeDisabled();

    await userEvent.click(screen.getByRole('button', { name: 'Preview plan' }));
    await screen.findByRole('table', { name: 'plan' });
    await waitFor(() => expect(request()).toBeEnabled());

    // The preview was of the values before: a changed count asks for another.
    await userEvent.clear(field('Management cluster accounts'));
    await userEvent.type(field('Management cluster accounts'), '3');
    expect(request()).toBeDisabled();
  });

  it.each([
    ['a name the owner rule refuses', 'user:default/Kirk.Smith'],
    [
      'a name that makes account names too long',
      `user:default/${'k'.repeat(40)}`,
    ],
  ])('leaves Owner for the user to type for %s', async (_, user) => {
    await renderReadyForm({ user });
    await choose('Environment', 'dev');
    await choose('Region', 'us-east-2');

    expect(field(/^Owner/)).toHaveValue('');
    expect(field(/^Owner/)).toBeEnabled();
  });

  it('keeps every field in its place when Owner is asked for', async () => {
    await renderReadyForm();
    const labels = () =>
      Array.from(document.querySelectorAll('label'), label =>
        label.textContent?.replace(/\s*\*$/, ''),
      );
    const before = labels();
    expect(before).toEqual([
      'Environment',
      'Region',
      'Owner',
      'Regional cluster accounts',
      'Management cluster accounts',
    ]);

    await choose('Environment', 'dev');
    await waitFor(() => expect(field(/^Owner/)).toBeEnabled());

    expect(labels()).toEqual(before);
  });

  it('shows action names of the plan whole', async () => {
    await renderReadyForm();
    await fillInDevRegion();

    await userEvent.click(screen.getByRole('button', { name: 'Preview plan' }));

    const table = await screen.findByRole('table', { name: 'plan' });
    expect(within(table).getByText('create-account')).toHaveStyle({
      whiteSpace: 'nowrap',
    });
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
