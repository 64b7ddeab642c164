import { createHash } from 'node:crypto';
import { AwsError } from '../../errors';
import { AccountRecord, PolicyRecord } from '../../state/model';
import { iamErrors } from './errors';

/** A managed policy's ARN, taken apart. */
export interface PolicyArn {
  arn: string;
  /** `aws` for AWS managed policies, else the account id of the customer managed one. */
  owner: string;
  path: string;
  name: string;
  awsManaged: boolean;
}

/** `arn:aws:iam::<account or aws>:policy<path><name>`, the path being `/` or `/.../`. */
const POLICY_ARN =
  /^arn:aws:iam::(aws|\d{12}):policy(\/(?:[\x21-\x7e]*\/)?)([\w+=,.@-]{1,128})$/;

/** @throws InvalidInput when `arn` is not a managed policy's ARN. */
export function parsePolicyArn(arn: string): PolicyArn {
  const match = POLICY_ARN.exec(arn);
  if (!match) throw iamErrors.invalidArn(arn);
  const [, owner, path, name] = match;
  return { arn, owner, path, name, awsManaged: owner === 'aws' };
}

/**
 * The parts of an ARN a role has attached. Seeds may attach ARNs that
 * `parsePolicyArn` would refuse; listing them must not fail, so their name is
 * taken to be what follows the last slash.
 */
export function describeAttachedArn(arn: string): PolicyArn {
  try {
    return parsePolicyArn(arn);
  } catch {
    const name = arn.slice(arn.lastIndexOf('/') + 1);
    return { arn, owner: '', path: '/', name, awsManaged: false };
  }
}

export function customerPolicyArn(
  accountId: string,
  path: string,
  name: string,
): string {
  return `arn:aws:iam::${accountId}:policy${path}${name}`;
}

/**
 * A managed policy a role of `account` may attach or take as its permissions
 * boundary: an AWS managed policy, or a customer managed one of the same account.
 * The sandbox does not carry AWS's catalog of managed policies, so any well-formed
 * AWS managed ARN is taken to name one that exists.
 * @throws InvalidInput for a malformed ARN; `notFound(arn)` for a customer managed policy the account lacks.
 */
export function attachablePolicy(
  account: AccountRecord,
  arn: string,
  notFound: (arn: string) => AwsError,
): PolicyArn {
  const parsed = parsePolicyArn(arn);
  if (
    parsed.awsManaged ||
    (parsed.owner === account.id && account.policies[arn])
  ) {
    return parsed;
  }
  throw notFound(arn);
}

/**
 * A customer managed policy of `account`. Policies of other accounts are not
 * found, as IAM finds none outside the caller's account.
 * @throws InvalidInput for a malformed ARN; `onAwsManaged()` for an AWS managed one; NoSuchEntity.
 */
export function customerPolicy(
  account: AccountRecord,
  arn: string,
  onAwsManaged: () => AwsError,
): PolicyRecord {
  const parsed = parsePolicyArn(arn);
  if (parsed.awsManaged) throw onAwsManaged();
  const policy =
    parsed.owner === account.id ? account.policies[arn] : undefined;
  if (!policy) throw iamErrors.noSuchPolicy(arn);
  return policy;
}

/** How many of the account's roles use a managed policy, as the Policy shape counts them. */
export interface PolicyUsage {
  AttachmentCount: number;
  PermissionsBoundaryUsageCount: number;
}

/**
 * Counted from the roles rather than kept on the policy, so that attaching,
 * detaching, boundaries and role deletion can never leave the counts stale.
 * Roles are the only IAM entities the sandbox keeps policies for.
 */
export function policyUsage(account: AccountRecord, arn: string): PolicyUsage {
  const roles = Object.values(account.roles);
  return {
    AttachmentCount: roles.filter(role => role.attachedPolicyArns.includes(arn))
      .length,
    PermissionsBoundaryUsageCount: roles.filter(
      role => role.permissionsBoundaryArn === arn,
    ).length,
  };
}

/**
 * A stable policy id for an AWS managed policy, which the sandbox has no record of:
 * the same ARN always gets the same id, in the format IAM's policy ids have.
 */
export function awsManagedPolicyId(arn: string): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  const digest = createHash('sha256').update(arn).digest();
  return `ANPA${[...digest.subarray(0, 17)]
    .map(byte => alphabet[byte % 32])
    .join('')}`;
}
