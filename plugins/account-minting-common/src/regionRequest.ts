import { InputError } from '@backstage/errors';
import { MintingConfigView } from './config';
import { accountName, patternPlaceholders, regionOuName } from './naming';
import { clip, quote } from './quote';
import { FieldError } from './fieldError';
import { components } from './api/openapi.generated';

/** A request for a region: from the form, the API, the scaffolder or configuration. */
export type RegionRequest = components['schemas']['RegionRequest'];

/** A region request that passed validation, with its names worked out. */
export interface ValidRegionRequest {
  environment: string;
  region: string;
  owner?: string;
  payer: string;
  regionOu: string;
  /** Accounts per account role, every role present. */
  accountCounts: Record<string, number>;
  /** The names of the region's accounts, role by role. */
  accountNames: { role: string; index: number; name: string }[];
}

/** How many unknown account roles a refusal names, each against its field. */
const MAX_UNKNOWN_ROLES_NAMED = 5;

export type RegionRequestResult =
  | { ok: true; value: ValidRegionRequest }
  | { ok: false; errors: Record<string, string> };

/**
 * Checks a region request against the configuration, the same way in the form and the backend.
 * Each problem is reported against the field it concerns.
 */
export function validateRegionRequest(
  input: unknown,
  config: MintingConfigView,
): RegionRequestResult {
  const errors: Record<string, string> = {};
  const request = (
    typeof input === 'object' && input !== null ? input : {}
  ) as Record<string, unknown>;
  const text = (field: string): string | undefined => {
    const value = request[field];
    if (value === undefined || value === null || value === '') return undefined;
    if (typeof value !== 'string') {
      errors[field] = `${field} must be a string`;
      return undefined;
    }
    return value;
  };
  const environmentName = text('environment');
  const region = text('region');
  const owner = text('owner');

  const environment = config.environments.find(e => e.name === environmentName);
  if (!environmentName) {
    errors.environment ??= `environment is required; one of ${config.environments
      .map(e => e.name)
      .join(', ')}`;
  } else if (!environment) {
    errors.environment = `unknown environment ${quote(
      environmentName,
    )}; one of ${config.environments.map(e => e.name).join(', ')}`;
  }
  if (!region) {
    errors.region ??= 'region is required';
  } else if (environment && !environment.regions.includes(region)) {
    errors.region = `region ${clip(region)} is not allowed in ${
      environment.name
    }; allowed: ${environment.regions.join(', ')}`;
  }
  if (environment?.needsOwner && !owner) {
    errors.owner ??= `owner is required in ${environment.name}, whose region names carry their owner`;
  }

  const accountCounts: Record<string, number> = {};
  const requested = request.accountRoles;
  if (
    requested !== undefined &&
    (typeof requested !== 'object' ||
      requested === null ||
      Array.isArray(requested))
  ) {
    errors.accountRoles =
      'accountRoles must be an object of account role names to counts';
  } else {
    const asked = (requested ?? {}) as Record<string, unknown>;
    const known = config.accountRoles.map(r => r.name).join(', ');
    const unknownRoles = Object.keys(asked).filter(
      name => !config.accountRoles.some(r => r.name === name),
    );
    // A few are named, each against its field; a flood of them is counted.
    for (const name of unknownRoles.slice(0, MAX_UNKNOWN_ROLES_NAMED)) {
      errors[`accountRoles.${clip(name)}`] = `unknown account role ${clip(
        name,
      )}; one of ${known}`;
    }
    if (unknownRoles.length > MAX_UNKNOWN_ROLES_NAMED) {
      errors.accountRoles = `${
        unknownRoles.length - MAX_UNKNOWN_ROLES_NAMED
      } more unknown account roles; one of ${known}`;
    }
    for (const role of config.accountRoles) {
      const count = asked[role.name] ?? role.count;
      const error = roleCountError(role, count);
      if (error) errors[`accountRoles.${role.name}`] = error;
      else accountCounts[role.name] = count as number;
    }
  }

  let regionOu: string | undefined;
  if (environment && region && !errors.region && !errors.owner) {
    try {
      regionOu = regionOuName(environment.regionOu, {
        environment: environment.name,
        region,
        owner,
      });
    } catch (error) {
      if (!(error instanceof FieldError)) throw error;
      // A rule of the request's own fields is shown beside that field; the others concern the name.
      const known = ['owner', 'region', 'environment'].includes(error.field);
      errors[known ? error.field : 'regionOu'] = known
        ? `${error.field} ${error.rule}`
        : error.message;
    }
  }

  const accountNames: ValidRegionRequest['accountNames'] = [];
  if (regionOu && Object.keys(errors).length === 0) {
    for (const role of config.accountRoles) {
      for (let index = 0; index < accountCounts[role.name]; index++) {
        try {
          accountNames.push({
            role: role.name,
            index,
            name: accountName(
              regionOu,
              { suffix: role.suffix, count: accountCounts[role.name] },
              index,
            ),
          });
        } catch (error) {
          if (!(error instanceof FieldError)) throw error;
          errors[`accountRoles.${role.name}`] = error.message;
        }
      }
    }
  }

  if (Object.keys(errors).length > 0 || !environment || !region || !regionOu) {
    return { ok: false, errors };
  }
  return {
    ok: true,
    value: {
      environment: environment.name,
      region,
      owner: environment.needsOwner ? owner : undefined,
      payer: environment.payer,
      regionOu,
      accountCounts,
      accountNames,
    },
  };
}

/** Like validateRegionRequest, for callers that want an InputError naming each field. */
export function parseRegionRequest(
  input: unknown,
  config: MintingConfigView,
): ValidRegionRequest {
  const result = validateRegionRequest(input, config);
  if (!result.ok) {
    // Each message names its field already.
    throw new InputError(Object.values(result.errors).join('; '));
  }
  return result.value;
}

/** Whether a region OU pattern puts an owner in region names. */
export const patternNeedsOwner = (pattern: string) =>
  patternPlaceholders(pattern).includes('owner');

/**
 * Why a count of a role's accounts is refused, or undefined when it fits: a whole number
 * from 0 to the role's maxCount, and no fewer than its minCount (such as a region's one
 * regional cluster, which no region goes without).
 */
export function roleCountError(
  role: { name: string; minCount?: number; maxCount: number },
  count: unknown,
): string | undefined {
  const min = role.minCount ?? 0;
  if (
    typeof count !== 'number' ||
    !Number.isInteger(count) ||
    count < 0 ||
    count > role.maxCount
  ) {
    return `the count of ${role.name} must be a whole number from ${min} to ${role.maxCount}`;
  }
  if (count < min) {
    return `a region needs at least ${min} ${role.name} account${
      min === 1 ? '' : 's'
    } (its minCount)`;
  }
  return undefined;
}
