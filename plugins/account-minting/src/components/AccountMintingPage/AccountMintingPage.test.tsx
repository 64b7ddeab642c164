import { configure, screen } from '@testing-library/react';
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
  it('says the backend is ready, with its database and provisioners', async () => {
    await renderInTestApp(<AccountMintingPage />, {
      apis: [apiAnswering(async () => healthy)],
    });

    expect(
      screen.getByRole('heading', { name: 'Account Minting' }),
    ).toBeInTheDocument();
    const status = await screen.findByTestId('backend-status');
    expect(status).toHaveTextContent('Backend ready: database better-sqlite3');
    expect(status).toHaveAttribute(
      'title',
      'schema at 20261128000000_requested_regions.js; provisioners command, terraform',
    );
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

    expect(
      await screen.findByText(
        /The account-minting backend cannot reach its database/,
      ),
    ).toBeInTheDocument();
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
    expect(screen.queryByTestId('backend-status')).not.toBeInTheDocument();
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
      screen.getAllByText(/ECONNREFUSED 127.0.0.1:7007/)[0],
    ).toBeInTheDocument();
  });
});
