import { configure, render, screen } from '@testing-library/react';
import App from './App';

// The whole app boots in jsdom before it offers sign-in, which takes a while on a loaded
// machine: generous waits, so that it is slow, never failing.
configure({ asyncUtilTimeout: 60_000 });
jest.setTimeout(120_000);

describe('App', () => {
  it('offers guest sign-in and, in development, sign-in as the approver', async () => {
    process.env = {
      NODE_ENV: 'test',
      APP_CONFIG: [
        {
          data: {
            app: { title: 'Test' },
            backend: { baseUrl: 'http://localhost:7007' },
            auth: {
              providers: {
                guest: {},
                devUsers: {
                  users: [
                    {
                      userEntityRef: 'user:default/operator',
                      title: 'Operator (dev)',
                    },
                    {
                      userEntityRef: 'user:default/approver',
                      title: 'Approver (dev)',
                    },
                  ],
                },
              },
            },
          },
          context: 'test',
        },
      ] as any,
    };

    render(App.createRoot());

    expect(
      await screen.findByRole('button', { name: 'Enter' }),
    ).toBeInTheDocument();
    expect(screen.getByText('Guest')).toBeInTheDocument();
    expect(screen.getByText('Operator (dev)')).toBeInTheDocument();
    expect(screen.getByText('Approver (dev)')).toBeInTheDocument();
    expect(
      screen.getByText(/sign in as user:default\/approver/),
    ).toBeInTheDocument();
    expect(screen.getAllByRole('button', { name: 'Sign In' })).toHaveLength(2);
  });
});
