import { Principals } from './principals';

/**
 * The central account's pipeline user, whose static keys the portal uses by default.
 * They open nothing but this sandbox.
 */
export const CENTRAL_ACCOUNT = {
  accountId: '100000000001',
  userName: 'account-minting-pipeline',
  accessKeyId: 'AKIASANDBOXCENTRAL01',
  secretAccessKey: 'sandbox-central-account-secret-key',
} as const;

/** The principals a fresh sandbox knows. */
export function seedPrincipals(): Principals {
  const principals = new Principals();
  principals.addStaticCredentials(
    {
      accessKeyId: CENTRAL_ACCOUNT.accessKeyId,
      secretAccessKey: CENTRAL_ACCOUNT.secretAccessKey,
    },
    {
      accountId: CENTRAL_ACCOUNT.accountId,
      arn: `arn:aws:iam::${CENTRAL_ACCOUNT.accountId}:user/${CENTRAL_ACCOUNT.userName}`,
      userId: 'AIDASANDBOXCENTRAL0001',
    },
  );
  return principals;
}
