import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import authPlugin from '@backstage/plugin-auth-backend';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import request from 'supertest';
import { authModuleDevUsersProvider } from './module';

// The tests start a backend: generous, so that a loaded machine is slow, never failing.
jest.setTimeout(60_000);

const approver = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'User',
  metadata: { name: 'approver', namespace: 'default' },
  spec: { memberOf: ['platform-approvers', 'platform-operators'] },
  relations: [
    { type: 'memberOf', targetRef: 'group:default/platform-approvers' },
    { type: 'memberOf', targetRef: 'group:default/platform-operators' },
  ],
};
const guest = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'User',
  metadata: { name: 'guest', namespace: 'default' },
  spec: { memberOf: ['platform-sre'] },
  relations: [{ type: 'memberOf', targetRef: 'group:default/platform-sre' }],
};

const devUsers = {
  users: [{ userEntityRef: 'user:default/approver', title: 'Approver (dev)' }],
};

const startWith = (devUsersConfig?: object) =>
  startTestBackend({
    features: [
      authPlugin,
      authModuleDevUsersProvider,
      catalogServiceMock.factory({ entities: [approver, guest] }),
      mockServices.rootConfig.factory({
        data: {
          app: { baseUrl: 'http://localhost:3000' },
          auth: {
            providers: devUsersConfig ? { devUsers: devUsersConfig } : {},
          },
        },
      }),
    ],
  });

const claimsOf = (token: string) =>
  JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString());

const signIn = (server: Parameters<typeof request>[0], user: string) =>
  request(server)
    .get('/api/auth/devUsers/refresh')
    .query({ user })
    .set('X-Requested-With', 'XMLHttpRequest');

describe('authModuleDevUsersProvider', () => {
  const nodeEnv = process.env.NODE_ENV;
  afterEach(() => {
    process.env.NODE_ENV = nodeEnv;
  });

  it('signs a configured user in with its catalog groups', async () => {
    const { server } = await startWith(devUsers);

    for (const user of ['approver', 'user:default/approver']) {
      const response = await signIn(server, user);
      expect(response.status).toBe(200);
      expect(response.body.profile).toEqual({ displayName: 'Approver (dev)' });
      expect(response.body.backstageIdentity.identity).toEqual({
        type: 'user',
        userEntityRef: 'user:default/approver',
        ownershipEntityRefs: expect.arrayContaining([
          'user:default/approver',
          'group:default/platform-approvers',
          'group:default/platform-operators',
        ]),
      });
      // The token names the user; its groups are kept as its user info (Backstage leaves the
      // ent claim out of tokens unless auth.omitIdentityTokenOwnershipClaim is false).
      expect(claimsOf(response.body.backstageIdentity.token).sub).toBe(
        'user:default/approver',
      );
    }
  });

  it('refuses a user the configuration does not list, even one in the catalog', async () => {
    const { server } = await startWith(devUsers);

    const response = await signIn(server, 'guest');
    expect(response.status).toBe(403);
    expect(response.body.error.message).toMatch(
      /'guest' is not one of auth\.providers\.devUsers\.users/,
    );

    const withoutUser = await request(server)
      .get('/api/auth/devUsers/refresh')
      .set('X-Requested-With', 'XMLHttpRequest');
    expect(withoutUser.status).toBe(400);
    expect(withoutUser.body.error.message).toMatch(/'user' query parameter/);
  });

  it('refuses to start in production', async () => {
    process.env.NODE_ENV = 'production';
    await expect(startWith(devUsers)).rejects.toThrow(
      /auth\.providers\.devUsers .*development only.*dangerouslyAllowOutsideDevelopment: true/,
    );
  });

  it('starts in production when dangerously allowed', async () => {
    process.env.NODE_ENV = 'production';
    const { server } = await startWith({
      ...devUsers,
      dangerouslyAllowOutsideDevelopment: true,
    });
    expect((await signIn(server, 'approver')).status).toBe(200);
  });

  it('offers no sign-in without its configuration, and starts in production', async () => {
    process.env.NODE_ENV = 'production';
    const { server } = await startWith();
    expect((await signIn(server, 'approver')).status).toBe(404);
  });

  it('stops the backend at start on bad configuration, naming the key', async () => {
    await expect(
      startWith({ users: [{ userEntityRef: 'group:default/x', title: 'X' }] }),
    ).rejects.toThrow(/auth\.providers\.devUsers\.users\[0\]\.userEntityRef/);
    await expect(startWith({ users: [] })).rejects.toThrow(
      /auth\.providers\.devUsers\.users must list at least one user/,
    );
  });
});
