import {
  AuthService,
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import permissionPlugin from '@backstage/plugin-permission-backend';
import { ServerPermissionClient } from '@backstage/plugin-permission-node';
import {
  startMintingBackend,
  testDatabases,
} from '@regional-minting/plugin-account-minting-backend/testUtils';
import { permissionModuleAccountMintingPolicy } from './module';

// The test starts a backend with account minting, the permission backend and a sandbox:
// generous, so that a loaded machine is slow, never failing.
jest.setTimeout(120_000);

const databases = testDatabases();

const GUEST = 'user:default/guest';
const OPERATOR = 'user:default/operator';

/** The catalog's memberships, as the user-info service would answer from it. */
const groupsOf: Record<string, string[]> = {
  [GUEST]: ['group:default/platform-sre'],
  [OPERATOR]: ['group:default/platform-operators'],
};

// The real permission client, enabled, so that the plugin asks the permission backend (the
// test backend's default permission service would answer without any policy).
const permissionsEnabled = createServiceFactory({
  service: coreServices.permissions,
  deps: { auth: coreServices.auth, discovery: coreServices.discovery },
  factory: ({ auth, discovery }) =>
    ServerPermissionClient.fromConfig(
      new ConfigReader({ permission: { enabled: true } }),
      { auth, discovery },
    ),
});

// The mock auth service's tokens on behalf of a user carry no actor, which the plugin's
// apply-conditions endpoint refuses (a user may not call it directly); real tokens name the
// calling plugin as the actor, and so do these.
const authWithActors = createServiceFactory({
  service: coreServices.auth,
  deps: { plugin: coreServices.pluginMetadata },
  factory: ({ plugin }): AuthService => {
    const auth = mockServices.auth({ pluginId: plugin.getId() });
    return {
      authenticate: (token, options) => auth.authenticate(token, options),
      getNoneCredentials: () => auth.getNoneCredentials(),
      getOwnServiceCredentials: () => auth.getOwnServiceCredentials(),
      isPrincipal: auth.isPrincipal.bind(auth) as AuthService['isPrincipal'],
      getLimitedUserToken: credentials => auth.getLimitedUserToken(credentials),
      listPublicServiceKeys: () => auth.listPublicServiceKeys(),
      async getPluginRequestToken(options) {
        const { onBehalfOf } = options;
        if (!auth.isPrincipal(onBehalfOf, 'user')) {
          return auth.getPluginRequestToken(options);
        }
        return {
          token: mockCredentials.user.token(
            onBehalfOf.principal.userEntityRef,
            {
              actor: { subject: `plugin:${plugin.getId()}` },
            },
          ),
        };
      },
    };
  },
});

const userInfoFromGroups = createServiceFactory({
  service: coreServices.userInfo,
  deps: {},
  factory: () => ({
    async getUserInfo(credentials) {
      const userEntityRef = (credentials.principal as { userEntityRef: string })
        .userEntityRef;
      return {
        userEntityRef,
        ownershipEntityRefs: [
          userEntityRef,
          ...(groupsOf[userEntityRef] ?? []),
        ],
      };
    },
  }),
});

// One database is enough: the decisions do not depend on it.
describe('the policy, deciding for the account-minting backend', () => {
  let minting: Awaited<ReturnType<typeof startMintingBackend>>;

  beforeAll(async () => {
    minting = await startMintingBackend({
      knex: await databases.init('SQLITE_3'),
      configure: accountMinting => {
        accountMinting.permissionPolicy = {
          openEnvironments: ['dev'],
          operatorsGroup: 'group:default/platform-operators',
          approversGroup: 'group:default/platform-approvers',
        };
      },
      features: [
        permissionPlugin,
        permissionModuleAccountMintingPolicy,
        permissionsEnabled,
        authWithActors,
        userInfoFromGroups,
      ],
    });
  });

  afterAll(async () => {
    await minting?.stop();
  });

  const as = (user: string, method: 'get' | 'post', path: string) =>
    minting
      .api(method, path)
      .set('Authorization', mockCredentials.user.header(user));

  // Only dev's region names have an owner (its regionOu has {owner}).
  const planRegion = (user: string, environment: string, region: string) =>
    as(user, 'post', '/regions').send({
      environment,
      region,
      ...(environment === 'dev' ? { owner: 'kirk' } : {}),
      dryRun: true,
    });

  it('lets anyone signed in read the estate', async () => {
    const answer = await as(GUEST, 'get', '/config');
    expect(answer.status).toBe(200);
  });

  it('lets a user outside the operators group request regions in dev only', async () => {
    const dev = await planRegion(GUEST, 'dev', 'us-east-2');
    expect({ status: dev.status, plan: !!dev.body.plan }).toEqual({
      status: 200,
      plan: true,
    });

    for (const environment of ['stage', 'prod']) {
      const answer = await planRegion(GUEST, environment, 'us-east-1');
      expect({
        environment,
        status: answer.status,
        error: answer.body.error,
      }).toEqual({
        environment,
        status: 403,
        error: expect.objectContaining({
          name: 'NotAllowedError',
          message: expect.stringContaining(
            `account-minting.region.create on ${environment}`,
          ),
        }),
      });
    }
  });

  it('lets an operator request regions in prod', async () => {
    const answer = await planRegion(OPERATOR, 'prod', 'us-east-1');
    expect({ status: answer.status, plan: !!answer.body.plan }).toEqual({
      status: 200,
      plan: true,
    });
  });
});
