import { configure, screen, waitFor, within } from '@testing-library/react';
import { renderInTestApp } from '@backstage/frontend-test-utils';
import {
  AccountMintingApi,
  HealthResponse,
} from '@regional-minting/plugin-account-minting-common';
import { accountMintingApiRef } from '../../api';
import { AccountMintingPage } from './AccountMintingPage';

// Rendering in jsdom, the mocked API's answers and the polling take a while on a loaded
// machine: generous waits, so that it is slow, never failing.
configure({ asyncUtilTimeout: 20_000 });
jest.setTimeout(60_000);

function apiAnswering(getHealth: AccountMintingApi['getHealth']) {
  return [accountMintingApiRef, { getHealth }] as const;
}

const healthy: HealthResponse = {
  status: 'ok',
  database: {
    client: 'better-sqlite3',
    latestMigration: '20261128000000_requested_regions.js',
  },
  provisioners: ['command', 'terraform'],
};

describe('AccountMintingPage', () => {
  it('says nothing about the backend when it is healthy', async () => {
    const getHealth = jest.fn(async () => healthy);
    await renderInTestApp(<AccountMintingPage />, {
      apis: [apiAnswering(getHealth)],
    });

    expect(
      screen.getByRole('heading', { name: 'Account Minting' }),
    ).toBeInTheDocument();
    await waitFor(() => expect(getHealth).toHaveBeenCalled());
    // The answer has been read: the estate tab shows what it does without a backend.
    expect(
      await screen.findByText(/The estate could not be read/),
    ).toBeInTheDocument();
    expect(screen.queryByTestId('backend-trouble')).not.toBeInTheDocument();
    expect(screen.queryByText(/Backend ready/)).not.toBeInTheDocument();
  });

  it('tells the user what to check when the database is down', async () => {
    await renderInTestApp(<AccountMintingPage />, {
      apis: [
        apiAnswering(async () => ({
          status: 'unavailable',
          database: {
            client: 'pg',
            error: 'the database did not answer; see the backend log',
          },
          provisioners: [],
        })),
      ],
    });

    const trouble = await screen.findByTestId('backend-trouble');
    expect(trouble).toHaveTextContent(
      /The account-minting backend cannot reach its database/,
    );
    // In the page's body, not squeezed into its header.
    expect(
      screen
        .getByRole('heading', { name: 'Account Minting' })
        .closest('header'),
    ).not.toContainElement(trouble);
  });

  it('says the backend is still starting rather than ready', async () => {
    await renderInTestApp(<AccountMintingPage />, {
      apis: [
        apiAnswering(async () => ({
          status: 'starting',
          reason:
            'the backend has not finished starting; if this lasts, a plugin failed to start: see the backend log',
          database: { client: 'pg', latestMigration: '20261201000000' },
          provisioners: [],
        })),
      ],
    });

    expect(
      await screen.findByText(
        /The account-minting backend has not finished starting/,
      ),
    ).toBeInTheDocument();
  });

  it('shows the error when the backend does not answer', async () => {
    await renderInTestApp(<AccountMintingPage />, {
      apis: [
        apiAnswering(async () => {
          throw new Error('connect ECONNREFUSED 127.0.0.1:7007');
        }),
      ],
    });

    expect(
      await screen.findByText(/The account-minting backend did not answer/),
    ).toBeInTheDocument();
    expect(
      within(screen.getByTestId('backend-trouble')).getAllByText(
        /ECONNREFUSED 127.0.0.1:7007/,
      )[0],
    ).toBeInTheDocument();
  });
});
