import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';

/** A catalog user one may sign in as in development. */
export interface DevUser {
  /** The full entity ref, such as user:default/approver. */
  userEntityRef: string;
  /** What the sign-in page and the profile show. */
  title: string;
}

export interface DevUsersConfig {
  users: DevUser[];
  allowOutsideDevelopment: boolean;
}

/** Where the provider's configuration lives; also its provider id (the auth backend binds the two). */
export const DEV_USERS_CONFIG_KEY = 'auth.providers.devUsers';

/**
 * Reads and checks auth.providers.devUsers (given the section itself), so that a typo stops the
 * backend at start with the key named rather than failing a sign-in later.
 */
export function readDevUsersConfig(config: Config): DevUsersConfig {
  const entries = config.getOptionalConfigArray('users') ?? [];
  if (entries.length === 0) {
    throw new InputError(
      `${DEV_USERS_CONFIG_KEY}.users must list at least one user`,
    );
  }
  const seen = new Set<string>();
  const users = entries.map((entry, index) => {
    const key = `${DEV_USERS_CONFIG_KEY}.users[${index}]`;
    const userEntityRef = toUserRef(entry.getString('userEntityRef'), key);
    const title = entry.getString('title').trim();
    if (!title) {
      throw new InputError(`${key}.title must not be empty`);
    }
    if (seen.has(userEntityRef)) {
      throw new InputError(
        `${key}.userEntityRef repeats ${userEntityRef}; list each user once`,
      );
    }
    seen.add(userEntityRef);
    return { userEntityRef, title };
  });
  return {
    users,
    allowOutsideDevelopment:
      config.getOptionalBoolean('dangerouslyAllowOutsideDevelopment') ?? false,
  };
}

// Only full user refs: a shorthand would sign in whoever the defaults happened to point at.
function toUserRef(value: string, key: string): string {
  let ref;
  try {
    ref = parseEntityRef(value);
  } catch {
    ref = undefined;
  }
  if (
    !ref ||
    ref.kind.toLocaleLowerCase('en-US') !== 'user' ||
    !value.includes('/')
  ) {
    throw new InputError(
      `${key}.userEntityRef must be a user entity ref such as user:default/approver, got '${value}'`,
    );
  }
  return stringifyEntityRef(ref);
}

/**
 * The configured user a sign-in request names: its full ref (user:default/approver) or its bare
 * name (approver) when only one configured user has that name. Undefined for anyone else.
 */
export function findDevUser(
  users: DevUser[],
  requested: string,
): DevUser | undefined {
  const wanted = requested.toLocaleLowerCase('en-US');
  const exact = users.find(
    user => user.userEntityRef.toLocaleLowerCase('en-US') === wanted,
  );
  if (exact) {
    return exact;
  }
  const byName = users.filter(
    user => parseEntityRef(user.userEntityRef).name === requested,
  );
  return byName.length === 1 ? byName[0] : undefined;
}
