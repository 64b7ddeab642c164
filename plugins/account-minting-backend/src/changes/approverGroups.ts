import { AuthService } from '@backstage/backend-plugin-api';
import {
  Entity,
  parseEntityRef,
  RELATION_MEMBER_OF,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';

/** Whether a user belongs to a group, as the catalog says. */
export type MembershipCheck = (
  userRef: string,
  groupRef: string,
) => Promise<boolean>;

/** The groups a user entity belongs to (refs in lower case): its memberOf relations, and its spec's memberOf. */
function groupsOf(user: Entity): Set<string> {
  const groups = new Set(
    (user.relations ?? [])
      .filter(r => r.type === RELATION_MEMBER_OF)
      .map(r => r.targetRef.toLocaleLowerCase('en-US')),
  );
  const declared = (user.spec?.memberOf ?? []) as unknown[];
  for (const ref of declared) {
    if (typeof ref !== 'string') continue;
    groups.add(
      stringifyEntityRef(
        parseEntityRef(ref, {
          defaultKind: 'group',
          defaultNamespace: user.metadata.namespace ?? 'default',
        }),
      ).toLocaleLowerCase('en-US'),
    );
  }
  return groups;
}

/** Group membership through the catalog, read with the plugin's own service credentials. */
export function catalogMembership(
  catalog: CatalogService,
  auth: AuthService,
): MembershipCheck {
  return async (userRef, groupRef) => {
    const user = await catalog.getEntityByRef(userRef, {
      credentials: await auth.getOwnServiceCredentials(),
    });
    return user
      ? groupsOf(user).has(groupRef.toLocaleLowerCase('en-US'))
      : false;
  };
}
