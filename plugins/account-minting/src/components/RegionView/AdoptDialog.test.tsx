import { renderInTestApp } from '@backstage/frontend-test-utils';
import {
  AccountMintingApi,
  PlanResponse,
  RegionRequestError,
} from '@regional-minting/plugin-account-minting-common';
import {
  configFixture,
  estateFixture,
} from '@regional-minting/plugin-account-minting-common/testUtils';
import { configure, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { accountMintingApiRef } from '../../api';
import { testRegion, testRunRecord } from '../../__testUtils__/testRegion';
import { AdoptDialog } from './AdoptDialog';

// Rendering in jsdom, the mocked API's answers and the polling take a while on a loaded
// machine: generous waits, so that it is slow, never failing.
configure({ asyncUtilTimeout: 20_000 });
jest.setTimeout(60_000);

const REGION = 'dev-kirk-us-east-2';
const STRAY = '400000000901';

const adoptPlan: PlanResponse = {
  region: REGION,
  plan: {
    region: REGION,
    payer: 'staging-2',
    changes: 2,
    actions: [
      {
        action: 'move-account',
        target: `${REGION}-mc2`,
        accountId: STRAY,
        to: REGION,
        reason: 'the account is adopted into the region OU',
      },
      {
        action: 'rename-account',
        target: `${REGION}-mc2`,
        accountId: STRAY,
        from: 'stray-sandbox',
        to: `${REGION}-mc2`,
        reason: 'its name differs from the naming rule',
      },
    ],
  },
};

/** The test region with a third management-cluster slot that no account fills yet. */
function regionWithFreeSlot() {
  const region = testRegion();
  return {
    ...region,
    accounts: [
      ...region.accounts,
      {
        ...region.accounts[2],
        name: `${REGION}-mc2`,
        email: `aws+${REGION}-mc2@example.com`,
        index: 2,
      },
    ],
  };
}

function api(overrides: Partial<AccountMintingApi> = {}) {
  return {
    getEstate: async () => estateFixture(),
    getConfig: async () => configFixture(),
    adopt: jest.fn(async (_name: string, body: { dryRun?: boolean }) =>
      body.dryRun
        ? adoptPlan
        : { region: regionWithFreeSlot(), run: testRunRecord('run-adopt') },
    ),
    ...overrides,
  };
}

function renderDialog(stub: ReturnType<typeof api>, prefillAccountId?: string) {
  return renderInTestApp(
    <AdoptDialog
      region={regionWithFreeSlot()}
      prefillAccountId={prefillAccountId}
      onClose={() => {}}
    />,
    { apis: [[accountMintingApiRef, stub]] },
  );
}

const slot = (label: string) => screen.findByLabelText(label);

describe('AdoptDialog', () => {
  it('checks each account id as it is typed', async () => {
    await renderDialog(api());

    const free = await slot('management-cluster [2]');
    await userEvent.type(free, '12345');
    expect(free).toHaveAccessibleDescription(
      'An account id has 12 digits, not 5',
    );
    await userEvent.type(free, 'a');
    expect(free).toHaveAccessibleDescription('An account id has digits only');
    await userEvent.clear(free);
    await userEvent.type(free, STRAY);
    expect(free).toHaveAccessibleDescription(
      `12-digit id of the account to become ${REGION}-mc2`,
    );

    // A slot with its account keeps it, shown and not editable.
    const taken = await slot('management-cluster [1]');
    expect(taken).toHaveValue('400000000103');
    expect(taken).toBeDisabled();
  });

  it('previews the adoption of the typed id, in slot order, then adopts it with the name typed', async () => {
    const stub = api();
    await renderDialog(stub);

    await userEvent.type(await slot('management-cluster [2]'), STRAY);
    await userEvent.click(screen.getByRole('button', { name: 'Preview' }));
    const body = {
      accounts: {
        'management-cluster': ['400000000102', '400000000103', STRAY],
      },
    };
    expect(stub.adopt).toHaveBeenCalledWith(REGION, { ...body, dryRun: true });
    const plan = await screen.findByRole('table', { name: 'plan' });
    expect(
      within(plan).getByRole('row', { name: /^rename-account/ }),
    ).toHaveTextContent(`from: stray-sandbox; to: ${REGION}-mc2`);

    const adopt = screen.getByRole('button', { name: 'Adopt' });
    expect(adopt).toBeDisabled();
    await userEvent.type(
      screen.getByLabelText(`Type ${REGION} to confirm`),
      REGION,
    );
    await userEvent.click(adopt);
    expect(stub.adopt).toHaveBeenLastCalledWith(REGION, {
      ...body,
      reason: undefined,
    });
    expect(
      await screen.findByRole('link', { name: 'its run' }),
    ).toHaveAttribute('href', '/account-minting/runs/run-adopt');
  });

  it('puts the id prefilled in the first free slot, and matching by name needs no ids', async () => {
    const stub = api();
    await renderDialog(stub, STRAY);

    expect(await slot('management-cluster [2]')).toHaveValue(STRAY);
    await userEvent.click(
      screen.getByRole('checkbox', { name: /Match by name or email/ }),
    );
    expect(
      screen.queryByLabelText('management-cluster [2]'),
    ).not.toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Preview' }));
    expect(stub.adopt).toHaveBeenCalledWith(REGION, {
      match: 'name-or-email',
      dryRun: true,
    });
  });

  it("shows the backend's refusals beside their fields, and the others above", async () => {
    const stub = api({
      adopt: jest.fn(async () => {
        throw new RegionRequestError('refused', {
          'accounts.management-cluster[2]':
            'account 400000000901 is closed (SUSPENDED)',
          accounts: 'at most 100 accounts',
        });
      }),
    });
    await renderDialog(stub, STRAY);

    await slot('management-cluster [2]');
    await userEvent.click(screen.getByRole('button', { name: 'Preview' }));
    await waitFor(() =>
      expect(
        screen.getByLabelText('management-cluster [2]'),
      ).toHaveAccessibleDescription(
        'account 400000000901 is closed (SUSPENDED)',
      ),
    );
    expect(screen.getByRole('alert')).toHaveTextContent(
      'accounts: at most 100 accounts',
    );
  });
});
