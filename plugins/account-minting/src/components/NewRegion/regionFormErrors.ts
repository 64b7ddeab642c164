import {
  accountName,
  EnvironmentView,
  MintingConfigView,
  NameTooLongError,
  quote,
  RegionRequest,
  regionOuName,
  validateRegionRequest,
} from '@regional-minting/plugin-account-minting-common';

/** The form field of an account role's count, keyed as the backend keys its refusals. */
export const countField = (role: string) => `accountRoles.${role}`;

/** A request's problems as the form shows them. */
export interface RegionFormErrors {
  /** Messages beside the form's fields, by field. */
  fields: Record<string, string>;
  /** Messages of no field of the form, such as a configured name pattern's. */
  other: string[];
}

/** The name an owner makes longer than AWS allows, and the refusals of the names it explains. */
export interface OwnerLengthError {
  message: string;
  explains: string[];
}

function ownerMakesTooLong(error: NameTooLongError, what: string): string {
  return `Owner makes the ${what} ${quote(error.value)} ${
    error.value.length
  } characters long; at most ${error.max}`;
}

/**
 * Where region names carry the owner, the longest name of the request that the owner makes
 * too long for AWS, worked out by the naming rules themselves, whatever else is wrong.
 */
export function ownerLengthError(
  request: RegionRequest,
  config: MintingConfigView,
): OwnerLengthError | undefined {
  const environment = config.environments.find(
    e => e.name === request.environment,
  );
  if (!environment?.needsOwner || !request.owner) return undefined;
  let regionOu: string;
  try {
    regionOu = regionOuName(environment.regionOu, {
      environment: environment.name,
      region: request.region,
      owner: request.owner,
    });
  } catch (error) {
    // Another problem, such as a missing region, is told beside its own field.
    if (!(error instanceof NameTooLongError)) return undefined;
    return {
      message: ownerMakesTooLong(error, 'region OU name'),
      explains: ['regionOu'],
    };
  }
  let longest: NameTooLongError | undefined;
  const explains: string[] = [];
  for (const role of config.accountRoles) {
    const count = request.accountRoles?.[role.name] ?? role.count;
    // A count out of range is told beside the count.
    if (!Number.isInteger(count) || count < 1 || count > role.maxCount) {
      continue;
    }
    try {
      // The last index has the most digits: the role's longest name.
      accountName(regionOu, { suffix: role.suffix, count }, count - 1);
    } catch (error) {
      // Another problem, such as a malformed configured suffix, is not the owner's.
      if (!(error instanceof NameTooLongError)) continue;
      if (!longest || error.value.length > longest.value.length) {
        longest = error;
      }
      explains.push(countField(role.name));
    }
  }
  return longest
    ? { message: ownerMakesTooLong(longest, 'account name'), explains }
    : undefined;
}

/** The form field a refusal's key concerns, or undefined for none. */
function formFieldOf(
  key: string,
  config: MintingConfigView,
): string | undefined {
  if (['environment', 'region', 'owner'].includes(key)) return key;
  const roles = config.accountRoles.map(role => countField(role.name));
  if (roles.includes(key)) return key;
  // Such as accounts beyond the payer's quota: the counts decide how many there are.
  if (key === 'accountRoles') return roles[0];
  return undefined;
}

/**
 * A request's problems, from the shared validation or the backend's refusal, each put
 * beside the field the user changes to fix it: a name too long beside Owner, not the counts.
 */
export function regionFormErrors(
  errors: Record<string, string>,
  request: RegionRequest,
  config: MintingConfigView,
): RegionFormErrors {
  const ownerLength = ownerLengthError(request, config);
  const fields: Record<string, string> = {};
  const other: string[] = [];
  for (const [key, message] of Object.entries(errors)) {
    if (ownerLength?.explains.includes(key)) continue;
    const field = formFieldOf(key, config);
    if (field) fields[field] ??= message;
    else other.push(message);
  }
  if (ownerLength) fields.owner ??= ownerLength.message;
  return { fields, other };
}

/**
 * Whether the signed-in user's name is an owner the environment's names take: the owner
 * rule holds and, in every region of it with the configured counts, the names fit.
 * Configuration does not say whether owners are people, so a name that does not fit is
 * left for the user to type rather than prefilled only to be refused.
 */
export function ownerFits(
  owner: string,
  environment: EnvironmentView,
  config: MintingConfigView,
): boolean {
  const counts = Object.fromEntries(
    config.accountRoles.map(role => [role.name, role.count]),
  );
  return environment.regions.every(region => {
    const request = {
      environment: environment.name,
      region,
      owner,
      accountRoles: counts,
    };
    const validation = validateRegionRequest(request, config);
    return (
      (validation.ok || !validation.errors.owner) &&
      !ownerLengthError(request, config)
    );
  });
}
