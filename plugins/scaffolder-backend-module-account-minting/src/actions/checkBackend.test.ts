import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import accountMintingBackend from '@regional-minting/plugin-account-minting-backend';
import { readdirSync } from 'node:fs';
import { Server } from 'node:http';
import { dirname, join } from 'node:path';
import { createCheckBackendAction } from './checkBackend';

// The tests start a backend with the account-minting plugin, which migrates its database:
// generous, so that a loaded machine is slow, never failing.
jest.setTimeout(120_000);

/** The newest migration the backend ships: the one a ready backend has run last. */
function newestMigration(): string {
  const backendDir = dirname(
    require.resolve(
      '@regional-minting/plugin-account-minting-backend/package.json',
    ),
  );
  return readdirSync(join(backendDir, 'migrations'))
    .filter(name => name.endsWith('.js'))
    .sort()
    .at(-1)!;
}

describe('account-minting:backend:check', () => {
  let server: Server;
  let baseUrl: string;

  beforeAll(async () => {
    ({ server } = await startTestBackend({
      features: [
        accountMintingBackend,
        // The smallest estate the plugin starts with; health calls no AWS.
        mockServices.rootConfig.factory({
          data: {
            accountMinting: {
              accountEmail: 'aws+{account}@example.com',
              payers: [
                {
                  name: 'control',
                  accountId: '200000000001',
                  mintRoleArn: 'arn:aws:iam::200000000001:role/AccountMinter',
                },
              ],
              environments: [
                { name: 'prod', payer: 'control', regions: ['us-east-1'] },
              ],
              accountRoles: [
                { name: 'regional-cluster', suffix: 'rc', count: 1 },
              ],
            },
          },
        }),
      ],
    }));
    const address = server.address();
    if (!address || typeof address === 'string') throw new Error('no port');
    baseUrl = `http://localhost:${address.port}/api/account-minting`;
  });

  afterAll(() => server.close());

  function action(url: string) {
    return createCheckBackendAction({
      discovery: {
        getBaseUrl: async () => url,
        getExternalBaseUrl: async () => url,
      },
      auth: mockServices.auth(),
    });
  }

  it('outputs the schema and provisioners of a ready backend', async () => {
    const ctx = createMockActionContext({
      input: {},
      getInitiatorCredentials: async () => mockCredentials.user(),
    });

    await action(baseUrl).handler(ctx);

    expect(newestMigration()).toMatch(/^\d{14}_\w+\.js$/);
    expect(ctx.output).toHaveBeenCalledWith(
      'latestMigration',
      newestMigration(),
    );
    expect(ctx.output).toHaveBeenCalledWith('provisioners', [
      'command',
      'terraform',
    ]);
  });

  it('fails the task when the backend cannot be reached', async () => {
    const ctx = createMockActionContext({
      input: {},
      getInitiatorCredentials: async () => mockCredentials.user(),
    });

    await expect(
      action('http://localhost:1/api/account-minting').handler(ctx),
    ).rejects.toThrow();
    expect(ctx.output).not.toHaveBeenCalled();
  });
});
