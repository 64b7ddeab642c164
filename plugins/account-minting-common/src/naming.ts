import { FieldError } from './fieldError';
import { clip, quote } from './quote';

/** The values a region OU name pattern may refer to. */
export interface RegionNameParts {
  environment: string;
  region: string;
  owner?: string;
}

const PLACEHOLDER = /\{([^{}]*)\}/g;
const KNOWN_PLACEHOLDERS = ['environment', 'region', 'owner'] as const;

// AWS allows up to 128 characters in an OU name and 50 in an account name.
const MAX_OU_NAME = 128;
const MAX_ACCOUNT_NAME = 50;
const NAME_SEGMENT = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const REGION_CODE = /^[a-z]{2}(?:-gov|-iso[a-z]*)?-[a-z]+-\d+$/;

/** The placeholders a pattern uses, in order, such as `['environment', 'region']`. */
export function patternPlaceholders(pattern: string): string[] {
  return Array.from(pattern.matchAll(PLACEHOLDER), m => m[1]);
}

/**
 * Checks a region OU name pattern such as `{environment}-{owner}-{region}`.
 * @throws FieldError naming the field and the rule that the pattern breaks.
 */
export function validateRegionOuPattern(pattern: string, field = 'regionOu') {
  const placeholders = patternPlaceholders(pattern);
  const unknown = placeholders.filter(
    p => !(KNOWN_PLACEHOLDERS as readonly string[]).includes(p),
  );
  if (unknown.length > 0) {
    throw new FieldError(
      field,
      `unknown placeholder {${unknown[0]}}; use {environment}, {region} and {owner}`,
    );
  }
  for (const required of ['environment', 'region']) {
    if (!placeholders.includes(required)) {
      throw new FieldError(
        field,
        `the pattern must contain {${required}} so that every region OU name is unique`,
      );
    }
  }
}

/**
 * A name longer than AWS allows: it keeps the name and the limit, so that a form can
 * say which of its fields made the name too long.
 */
export class NameTooLongError extends FieldError {
  constructor(
    field: string,
    readonly value: string,
    readonly max: number,
    what: string,
  ) {
    super(
      field,
      `${clip(
        value,
      )} is longer than the ${max} characters AWS allows in ${what}`,
    );
  }
}

/** @throws NameTooLongError naming the field when the name is longer than AWS allows in `what`. */
function checkLength(
  field: string,
  name: string,
  max: number,
  what: string,
): string {
  if (name.length > max) throw new NameTooLongError(field, name, max, what);
  return name;
}

function checkSegment(field: string, value: string | undefined) {
  if (!value || !NAME_SEGMENT.test(value)) {
    throw new FieldError(
      field,
      `must be lower-case letters, digits and single hyphens (got ${quote(
        value ?? '',
      )})`,
    );
  }
}

/**
 * The region OU name for a region, from its environment's pattern,
 * for example `dev-kirk-us-east-2` from `{environment}-{owner}-{region}`.
 * @throws FieldError when a part is missing or malformed, or the name is too long.
 */
export function regionOuName(pattern: string, parts: RegionNameParts): string {
  validateRegionOuPattern(pattern);
  checkSegment('environment', parts.environment);
  if (!REGION_CODE.test(parts.region)) {
    throw new FieldError(
      'region',
      `must be an AWS region code such as us-east-1 (got ${quote(
        parts.region,
      )})`,
    );
  }
  const usesOwner = patternPlaceholders(pattern).includes('owner');
  if (usesOwner) {
    checkSegment('owner', parts.owner);
  } else if (parts.owner) {
    throw new FieldError(
      'owner',
      `the ${clip(
        parts.environment,
      )} environment's region names have no owner; leave it empty`,
    );
  }
  const name = pattern.replace(
    PLACEHOLDER,
    (_, key: (typeof KNOWN_PLACEHOLDERS)[number]) => parts[key] as string,
  );
  return checkLength('regionOu', name, MAX_OU_NAME, 'an OU name');
}

/**
 * The name of the account at `index` of a role, such as `prod-us-east-1-mc0`.
 * A role with a count of one has no index: `prod-us-east-1-rc`.
 * @throws FieldError when the name is longer than AWS allows.
 */
export function accountName(
  regionOu: string,
  role: { suffix: string; count: number },
  index: number,
): string {
  checkSegment('suffix', role.suffix);
  if (!Number.isInteger(index) || index < 0 || index >= role.count) {
    throw new FieldError(
      'index',
      `must be a whole number from 0 to ${role.count - 1} (got ${index})`,
    );
  }
  const name =
    role.count === 1
      ? `${regionOu}-${role.suffix}`
      : `${regionOu}-${role.suffix}${index}`;
  return checkLength('accountName', name, MAX_ACCOUNT_NAME, 'an account name');
}
