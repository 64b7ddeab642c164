import {
  mockCredentials,
  mockServices,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { LoggerService } from '@backstage/backend-plugin-api';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { ActionContext } from '@backstage/plugin-scaffolder-node';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { startMintingBackend } from '@regional-minting/plugin-account-minting-backend/testUtils';
import { MintingActionOptions } from '../actions/shared';

// The backend's test helper, to hold a run where the test needs it.
export { holdCalls } from '@regional-minting/plugin-account-minting-backend/testUtils';

/** The portal's base URL in the tests' configuration. */
export const APP_BASE_URL = 'http://localhost:3000';

/**
 * The provisioning step of each regional-cluster account: it logs a line, then,
 * by the region's owner, fails (owner `fail`), hangs until cancelled (owner
 * `slow`) or succeeds (anyone else).
 */
const PROVISION_SCRIPT = `
const { target } = JSON.parse(process.env.ACCOUNT_MINTING_CONTEXT);
console.log('provisioning ' + target.account.name);
if (target.regionOu.includes('-fail-')) process.exit(3);
if (target.regionOu.includes('-slow-')) setTimeout(() => {}, 600000);
`;

/** The databases of the tests: SQLite in memory is enough for the actions. */
export function testDatabases() {
  return TestDatabases.create({ ids: ['SQLITE_3'], disableDocker: true });
}

/** The group whose members approve changes in the tests' environments that need approval. */
export const APPROVERS = 'group:default/platform-approvers';

/** The options of the backend's test helper. */
type BackendOptions = Parameters<typeof startMintingBackend>[0];
/** The accountMinting section of the backend's config. */
type MintingConfig = Parameters<NonNullable<BackendOptions['configure']>>[0];

/** A user entity of the catalog, member of the groups given. */
function user(name: string, memberOf: string[] = []) {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'User',
    metadata: { name, namespace: 'default' },
    spec: { memberOf },
  };
}

/**
 * Approvals as prod has them: two approvers of APPROVERS and a reason; stage needs one
 * approver and no reason, and its changes expire at once. The catalog makes bob and
 * dave approvers.
 */
export const withApprovals: StartOptions = {
  configure: accountMinting => {
    const environments = accountMinting.environments as MintingConfig[];
    environments[0].approval = { approvers: 2, group: APPROVERS };
    environments[1].approval = {
      approvers: 1,
      group: APPROVERS,
      expiresAfter: { minutes: 0.001 },
      reasonRequired: false,
    };
  },
  features: [
    catalogServiceMock.factory({
      entities: [user('bob', [APPROVERS]), user('dave', [APPROVERS])],
    }),
  ],
};

/** The Authorization header of a request to the backend as a user, such as `bob`. */
export function asUser(name: string): string {
  return mockCredentials.user.header(`user:default/${name}`);
}

/** What the tests may change of the backend they start. */
type StartOptions = {
  /** Changes the accountMinting config, after the provisioning steps are set. */
  configure?: (accountMinting: MintingConfig) => void;
  /** More features of the backend, such as a catalog. */
  features?: BackendOptions['features'];
};

/**
 * The account-minting backend of the tests, on its AWS sandbox, with one provisioning
 * step per regional-cluster account, and the options to make the actions with.
 */
export async function startMinting(
  databases: TestDatabases,
  start: StartOptions = {},
) {
  const minting = await startMintingBackend({
    knex: await databases.init('SQLITE_3'),
    features: start.features,
    configure: accountMinting => {
      const roles = accountMinting.accountRoles as any[];
      roles[0].provision = [
        {
          name: 'cluster',
          provisioner: 'command',
          options: {
            command: process.execPath,
            args: ['-e', PROVISION_SCRIPT],
          },
        },
      ];
      accountMinting.provision = {
        stateBucket: 'regional-account-minting-tfstate',
      };
      start.configure?.(accountMinting);
    },
  });
  const address = minting.backend.server.address();
  if (!address || typeof address === 'string') throw new Error('no port');
  const baseUrl = `http://localhost:${address.port}/api/account-minting`;
  const discovery = {
    getBaseUrl: jest.fn(async () => baseUrl),
    getExternalBaseUrl: jest.fn(async () => baseUrl),
  };
  const options: MintingActionOptions = {
    discovery,
    auth: mockServices.auth(),
    config: mockServices.rootConfig({
      data: { app: { baseUrl: `${APP_BASE_URL}/` } },
    }),
  };
  return { minting, discovery, options };
}

/**
 * A checkpoint store that outlives a task execution, as the scaffolder's task state
 * does: a recovered task gets the value a checkpoint stored, without running it again.
 */
export function checkpointStore() {
  const values = new Map<string, unknown>();
  return {
    values,
    async checkpoint({ key, fn }: { key: string; fn: () => unknown }) {
      if (values.has(key)) return values.get(key);
      const value = await fn();
      values.set(key, value ?? {});
      return value;
    },
  };
}

/** A mock action context whose logger records, in order, what the action logs. */
export function actionContext<TInput extends Record<string, any>>(
  input: TInput,
  extra: Partial<ActionContext<TInput, any>> = {},
) {
  const lines: string[] = [];
  const record =
    (level: string) =>
    (message: string): void => {
      lines.push(`${level}: ${message}`);
    };
  const logger = mockServices.logger.mock({
    debug: record('debug'),
    info: record('info'),
    warn: record('warn'),
    error: record('error'),
  });
  const ctx = {
    ...createMockActionContext<TInput>({
      input,
      logger: logger as LoggerService,
    }),
    ...extra,
  } as ActionContext<TInput, any>;
  /** What the action output, by name. */
  const outputs = () =>
    Object.fromEntries((ctx.output as jest.Mock).mock.calls);
  return { ctx, logger, lines, outputs };
}
