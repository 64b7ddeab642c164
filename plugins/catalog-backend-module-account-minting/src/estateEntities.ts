import {
  ANNOTATION_LOCATION,
  ANNOTATION_ORIGIN_LOCATION,
  Entity,
  makeValidator,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import {
  Estate,
  EstateAccount,
  EstatePayer,
  EstateRegion,
  ACCOUNT_ANNOTATIONS,
  ACCOUNT_ENTITY_TYPE,
} from '@regional-minting/plugin-account-minting-common';

/** The owner of the entities of a region with no owner, that nobody with a user or group entity ref requested. */
export const DEFAULT_CATALOG_OWNER = 'group:default/platform-sre';

/** Where the entities come from, as the catalog records it: a location of the provider's own type. */
export function estateLocation(...path: string[]): string {
  return `account-minting:${['estate', ...path]
    .map(encodeURIComponent)
    .join('/')}`;
}

export interface EstateEntityOptions {
  /** The owner of a region's entities when it has no owner and its requester is not a user or group entity ref. */
  defaultOwner: string;
  /** The portal's base URL (app.baseUrl), for the links to its pages; relative links without it. */
  appBaseUrl?: string;
}

export interface EstateEntities {
  /** A System per desired region, then the Resources of its desired accounts. */
  entities: Entity[];
  /** Why some regions or accounts have no entity, one line each. */
  skipped: string[];
}

const validator = makeValidator();

/**
 * `user:` or `group:` entity refs, normalized to `kind:namespace/name`; anything
 * else (a plugin, the scheduler, nobody) is not an owner.
 */
export function ownerOf(ref: string | undefined): string | undefined {
  if (!ref) return undefined;
  try {
    const parsed = parseEntityRef(ref);
    const kind = parsed.kind.toLocaleLowerCase('en-US');
    if (kind !== 'user' && kind !== 'group') return undefined;
    if (
      !validator.isValidNamespace(parsed.namespace) ||
      !validator.isValidEntityName(parsed.name)
    ) {
      return undefined;
    }
    return stringifyEntityRef({ ...parsed, kind });
  } catch {
    return undefined;
  }
}

/**
 * The owner of a region's entities: the region's own owner where it has one (such as
 * kirk of dev-kirk-us-east-2), as its requester's ref when the requester has that name
 * (a user or a group), else as a user; otherwise the requester, if a user or a group.
 */
export function regionOwnerOf(region: EstateRegion): string | undefined {
  const requester = ownerOf(region.requestedBy);
  if (!region.owner) return requester;
  if (requester && parseEntityRef(requester).name === region.owner) {
    return requester;
  }
  return ownerOf(`user:${region.owner}`);
}

/** `Management cluster` from the account role `management-cluster`. */
function roleWords(role: string): string {
  const words = role.replace(/[-_]+/g, ' ').trim();
  return words.charAt(0).toLocaleUpperCase('en-US') + words.slice(1);
}

/**
 * The catalog entities of the desired estate: one System per desired region, named
 * by its region OU, and one Resource of type aws-account per desired account, part
 * of its region's System. What is only observed in AWS has no entity.
 */
export function estateEntities(
  estate: Estate,
  options: EstateEntityOptions,
): EstateEntities {
  const entities: Entity[] = [];
  const skipped: string[] = [];
  const seen = new Set<string>();
  const base = (options.appBaseUrl ?? '').replace(/\/+$/, '');
  const portal = `${base}/account-minting`;

  /** Adds an entity unless its name is invalid or taken; says why it did not. */
  const add = (entity: Entity, what: string): boolean => {
    const { name } = entity.metadata;
    if (!validator.isValidEntityName(name)) {
      skipped.push(
        `${what}: ${JSON.stringify(
          name,
        )} is not a valid entity name (up to 63 letters, digits, -, _ and ., starting and ending with a letter or digit)`,
      );
      return false;
    }
    const ref = stringifyEntityRef(entity);
    if (seen.has(ref)) {
      skipped.push(`${what}: ${ref} is published already`);
      return false;
    }
    seen.add(ref);
    entities.push(entity);
    return true;
  };

  for (const payer of estate.payers) {
    for (const environment of payer.environments) {
      for (const region of environment.regions) {
        if (!region.desired) continue;
        const owner = regionOwnerOf(region) ?? options.defaultOwner;
        const ouPath = [
          'Root',
          payer.platformOu.name || estate.platformOu,
          environment.name,
          region.name,
        ].join('/');
        const regionAnnotations: Record<string, string> = {
          [ACCOUNT_ANNOTATIONS.regionOu]: region.name,
          [ACCOUNT_ANNOTATIONS.payer]: payer.name,
          [ACCOUNT_ANNOTATIONS.environment]: environment.name,
          [ACCOUNT_ANNOTATIONS.ouPath]: ouPath,
          ...(region.region
            ? { [ACCOUNT_ANNOTATIONS.awsRegion]: region.region }
            : {}),
        };
        const system = systemEntity(payer, environment.name, region, {
          owner,
          annotations: regionAnnotations,
          portal,
        });
        if (!add(system, `region ${region.name}`)) continue;
        for (const account of region.accounts) {
          if (!account.desired) continue;
          add(
            accountEntity(payer, region, account, {
              owner,
              annotations: regionAnnotations,
              portal,
            }),
            `account ${account.name} of region ${region.name}`,
          );
        }
      }
    }
  }
  return { entities, skipped };
}

interface EntityContext {
  owner: string;
  /** The region's annotations, which its accounts carry too. */
  annotations: Record<string, string>;
  /** The portal's account-minting page, without a trailing slash. */
  portal: string;
}

function systemEntity(
  payer: EstatePayer,
  environment: string,
  region: EstateRegion,
  context: EntityContext,
): Entity {
  const location = estateLocation(payer.name, region.name);
  // The catalog's list cuts descriptions short: what tells regions apart comes first.
  const what = [region.region, environment, 'region'].filter(Boolean).join(' ');
  const whose = region.owner ? ` of ${region.owner}` : '';
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'System',
    metadata: {
      name: region.name,
      title: `Region ${region.name}`,
      description: `${what}${whose}: the AWS accounts of the region OU ${region.name} in payer ${payer.name}, as account minting manages them.`,
      annotations: {
        [ANNOTATION_LOCATION]: location,
        [ANNOTATION_ORIGIN_LOCATION]: location,
        ...context.annotations,
      },
      links: [
        {
          url: `${context.portal}/runs?region=${encodeURIComponent(
            region.name,
          )}`,
          title: 'Runs in account minting',
          icon: 'dashboard',
        },
        {
          url: `${context.portal}/drift?region=${encodeURIComponent(
            region.name,
          )}`,
          title: 'Drift in account minting',
          icon: 'warning',
        },
      ],
    },
    spec: { owner: context.owner },
  };
}

function accountEntity(
  payer: EstatePayer,
  region: EstateRegion,
  account: EstateAccount,
  context: EntityContext,
): Entity {
  const location = estateLocation(payer.name, region.name, account.name);
  const role = account.role;
  const roleIsLabel = role !== undefined && validator.isValidLabelValue(role);
  const roleIsTag = role !== undefined && validator.isValidTag(role);
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Resource',
    metadata: {
      name: account.name,
      title: account.name,
      // What tells accounts apart (role and id) first, as the catalog's list cuts it short.
      description: `${role ? `${roleWords(role)} account` : 'Account'}${
        account.id ? ` ${account.id}` : ''
      } of ${region.name}: an AWS account of the region OU in payer ${
        payer.name
      }${account.id ? '' : ', not created yet'}.`,
      annotations: {
        [ANNOTATION_LOCATION]: location,
        [ANNOTATION_ORIGIN_LOCATION]: location,
        ...context.annotations,
        ...(account.id ? { [ACCOUNT_ANNOTATIONS.accountId]: account.id } : {}),
        ...(role ? { [ACCOUNT_ANNOTATIONS.role]: role } : {}),
      },
      ...(roleIsLabel ? { labels: { [ACCOUNT_ANNOTATIONS.role]: role } } : {}),
      tags: ['aws', ...(roleIsTag ? [role] : [])],
      links: [
        {
          url: `${context.portal}/accounts/${encodeURIComponent(account.name)}`,
          title: 'Account in account minting',
          icon: 'dashboard',
        },
      ],
    },
    spec: {
      type: ACCOUNT_ENTITY_TYPE,
      owner: context.owner,
      system: region.name,
    },
  };
}
