import { AwsError } from '../../errors';
import { AccountRecord, RoleRecord } from '../../state/model';
import { CallContext } from '../types';
import { iamErrors } from './errors';

/** The account whose IAM the caller works on: IAM is per account, and callers act in their own. */
export function callerAccount(ctx: CallContext): AccountRecord {
  const account = ctx.sandbox.state.accounts.get(ctx.caller.accountId);
  if (!account) {
    // Credentials always belong to an account of the estate; this would be a sandbox bug.
    throw new AwsError(
      'ServiceFailure',
      `Account ${ctx.caller.accountId} is not in the sandbox`,
      500,
    );
  }
  return account;
}

/**
 * IAM names are unique without regard to case (`Admin` and `admin` cannot both
 * exist), and IAM finds an entity by any casing of its name.
 */
export function findByName<T extends { name: string }>(
  entities: Iterable<T>,
  name: string,
): T | undefined {
  const wanted = name.toLowerCase();
  for (const entity of entities) {
    if (entity.name.toLowerCase() === wanted) return entity;
  }
  return undefined;
}

/**
 * A record's own entry. IAM names may be `constructor` or `toString`, which a plain
 * lookup would find on Object.prototype.
 */
export function own<T>(record: Record<string, T>, key: string): T | undefined {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}

/** Sets a record's own entry, even one named `__proto__`, which plain assignment would not. */
export function setOwn<T>(
  record: Record<string, T>,
  key: string,
  value: T,
): void {
  Object.defineProperty(record, key, {
    value,
    enumerable: true,
    writable: true,
    configurable: true,
  });
}

/** The role of the account with this name. @throws NoSuchEntity */
export function getRole(account: AccountRecord, roleName: string): RoleRecord {
  const role =
    own(account.roles, roleName) ??
    findByName(Object.values(account.roles), roleName);
  if (!role) throw iamErrors.noSuchRole(roleName);
  return role;
}
