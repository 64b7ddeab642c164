import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';
import { scaffolderModuleAccountMinting } from './module';

// The test starts a backend: generous, so that a loaded machine is slow, never failing.
jest.setTimeout(60_000);

describe('scaffolderModuleAccountMinting', () => {
  it('registers the account-minting actions, each documented', async () => {
    const addActions = jest.fn();
    await startTestBackend({
      extensionPoints: [[scaffolderActionsExtensionPoint, { addActions }]],
      features: [
        scaffolderModuleAccountMinting,
        mockServices.rootConfig.factory({
          data: { app: { baseUrl: 'http://localhost:3000' } },
        }),
      ],
    });

    const actions = addActions.mock.calls.flat();
    expect(actions.map(a => a.id)).toEqual([
      'account-minting:backend:check',
      'account-minting:region:create',
      'account-minting:run:wait',
      'account-minting:pipeline:run',
    ]);
    for (const action of actions) {
      expect(action.description).toEqual(expect.any(String));
      expect(action.examples.length).toBeGreaterThan(0);
      for (const [name, field] of Object.entries<any>(
        action.schema.input?.properties ?? {},
      )) {
        expect({ name, description: field.description }).toEqual({
          name,
          description: expect.any(String),
        });
      }
    }
    const byId = Object.fromEntries(actions.map(a => [a.id, a]));
    expect(byId['account-minting:region:create'].supportsDryRun).toBe(true);
    expect(byId['account-minting:region:create'].schema.input.required).toEqual(
      ['environment', 'region'],
    );
    // run:wait takes a runId or a changeId: neither is required alone.
    expect(
      byId['account-minting:run:wait'].schema.input.required,
    ).toBeUndefined();
    expect(
      Object.keys(byId['account-minting:run:wait'].schema.input.properties),
    ).toEqual(expect.arrayContaining(['runId', 'changeId']));
    expect(
      byId['account-minting:pipeline:run'].schema.input.properties.pipeline
        .enum,
    ).toEqual(['mint', 'bootstrap', 'provision', 'region']);
  });
});
