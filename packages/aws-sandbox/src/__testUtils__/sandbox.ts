import { OrganizationsClient } from '@aws-sdk/client-organizations';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { parseSeed } from '../seed/loadSeed';
import { Seed } from '../seed/schema';

/** Credentials as the SDK clients take them. */
export interface TestCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

export const CENTRAL: TestCredentials = {
  accessKeyId: 'AKIASANDBOXCENTRAL01',
  secretAccessKey: 'sandbox-central-account-secret-key',
};

/**
 * A small estate for tests: the central account and one payer with the minting and bootstrap
 * roles, and `members` member accounts named member-1, member-2... in its root.
 */
export function testSeed(
  overrides: {
    accountQuota?: number;
    closeAccountQuota?: number;
    closeAccountConcurrency?: number;
    members?: number;
  } = {},
): Seed {
  const trustCentral = {
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Principal: { AWS: 'arn:aws:iam::100000000001:root' },
        Action: 'sts:AssumeRole',
      },
    ],
  };
  return parseSeed({
    accounts: [
      {
        id: '100000000001',
        name: 'central',
        email: 'central@example.com',
        users: [{ name: 'pipeline', ...CENTRAL }],
      },
    ],
    organizations: [
      {
        name: 'control',
        accountQuota: overrides.accountQuota ?? 10,
        closeAccountQuota: overrides.closeAccountQuota,
        closeAccountConcurrency: overrides.closeAccountConcurrency,
        accounts: Array.from({ length: overrides.members ?? 0 }, (_, i) => ({
          id: String(300000000001 + i),
          name: `member-${i + 1}`,
          email: `member-${i + 1}@example.com`,
        })),
        managementAccount: {
          id: '200000000001',
          name: 'control',
          email: 'control@example.com',
          roles: [
            { name: 'AccountMinter', trustPolicy: trustCentral },
            { name: 'AccountBootstrap', trustPolicy: trustCentral },
          ],
        },
      },
    ],
  });
}

/** The options every SDK client of a test gets: the sandbox endpoint, no retries. */
export function clientConfig(endpoint: string, credentials: TestCredentials) {
  return { endpoint, region: 'us-east-1', credentials, maxAttempts: 1 };
}

/** Assumes a role with the given credentials and returns the session's credentials. */
export async function assumeRole(
  endpoint: string,
  credentials: TestCredentials,
  roleArn: string,
  extra: { ExternalId?: string; DurationSeconds?: number } = {},
): Promise<TestCredentials> {
  const sts = new STSClient(clientConfig(endpoint, credentials));
  const { Credentials } = await sts.send(
    new AssumeRoleCommand({
      RoleArn: roleArn,
      RoleSessionName: 'test',
      ...extra,
    }),
  );
  return {
    accessKeyId: Credentials!.AccessKeyId!,
    secretAccessKey: Credentials!.SecretAccessKey!,
    sessionToken: Credentials!.SessionToken!,
  };
}

export const MINTER_ROLE = 'arn:aws:iam::200000000001:role/AccountMinter';
export const BOOTSTRAP_ROLE = 'arn:aws:iam::200000000001:role/AccountBootstrap';

/** An Organizations client of the test payer, as its minting role: what the mint pipeline uses. */
export async function minterOrganizations(
  endpoint: string,
): Promise<OrganizationsClient> {
  return new OrganizationsClient(
    clientConfig(endpoint, await assumeRole(endpoint, CENTRAL, MINTER_ROLE)),
  );
}
