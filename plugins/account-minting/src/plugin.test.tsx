import { screen } from '@testing-library/react';
import { renderTestApp } from '@backstage/frontend-test-utils';
import { accountMintingApiRef } from './api';
import accountMintingPlugin from './index';

describe('account-minting plugin', () => {
  it('mounts its page at /account-minting', async () => {
    renderTestApp({
      features: [accountMintingPlugin],
      initialRouteEntries: ['/account-minting'],
      apis: [
        [
          accountMintingApiRef,
          {
            getHealth: async () => ({
              status: 'ok' as const,
              database: { client: 'pg', latestMigration: 'm1.js' },
              provisioners: [],
            }),
          },
        ],
      ],
    });

    expect(
      await screen.findByRole('heading', { name: 'Account Minting' }),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('link', { name: 'Account Minting' }),
    ).toHaveAttribute('href', '/account-minting');
    expect(await screen.findByTestId('backend-status')).toHaveAttribute(
      'title',
      'schema at m1.js; no provisioners registered',
    );
  });
});
