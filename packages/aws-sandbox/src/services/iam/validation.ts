import { z, ZodIssue, ZodTypeAny } from 'zod';

/**
 * The input members IAM's operations share, with the lengths and patterns the API
 * reference gives them. Query-protocol input arrives as strings, so numbers and
 * booleans are parsed here. Rule messages are worded as IAM words them
 * ("Member must ..."), so that `describeIssue` can quote them.
 */

/** A string member of `min..max` characters that must match `regex`, shown as `shown`. */
function text(min: number, max?: number, regex?: RegExp, shown?: string) {
  const base =
    max === undefined ? z.string().min(min) : z.string().min(min).max(max);
  return regex
    ? base.regex(
        regex,
        `Member must satisfy regular expression pattern: ${shown}`,
      )
    : base;
}

/**
 * A list member. An empty list travels in the Query protocol as `Name=` with no
 * members, which the parser sees as an empty string.
 */
function queryList<T extends ZodTypeAny>(item: T, max: number) {
  return z.preprocess(
    value => (value === '' ? [] : value),
    z.array(item).max(max),
  );
}

const NAME = /^[\w+=,.@-]+$/;
const NAME_SHOWN = '[\\w+=,.@-]+';
/** Policy paths are narrower than role paths: segments of letters, digits and a few signs. */
const POLICY_PATH = /^(\/[A-Za-z0-9.,+@=_-]+)*\/$/;
const POLICY_PATH_SHOWN = '((/[A-Za-z0-9\\.,\\+@=_-]+)*)/';

/** The characters of tag keys and values: letters, spaces, digits and `_.:/=+-@`. */
const TAG_CHARACTERS = '\\p{L}\\p{Z}\\p{N}_.:/=+\\-@';
const tagKey = text(
  1,
  128,
  new RegExp(`^[${TAG_CHARACTERS}]+$`, 'u'),
  `[${TAG_CHARACTERS}]+`,
);
const tagValue = text(
  0,
  256,
  new RegExp(`^[${TAG_CHARACTERS}]*$`, 'u'),
  `[${TAG_CHARACTERS}]*`,
);

export const inputs = {
  roleName: text(1, 64, NAME, NAME_SHOWN),
  policyName: text(1, 128, NAME, NAME_SHOWN),
  rolePath: text(
    1,
    512,
    /^(\/|\/[\x21-\x7e]+\/)$/,
    '(\\u002F)|(\\u002F[\\u0021-\\u007E]+\\u002F)',
  ),
  policyPath: text(1, 512, POLICY_PATH, POLICY_PATH_SHOWN),
  pathPrefix: text(1, 512, POLICY_PATH, POLICY_PATH_SHOWN),
  /** Policy documents: JSON text of printable Latin-1 characters and whitespace. */
  policyDocument: text(
    1,
    131072,
    /^[\t\n\r\x20-\xff]+$/,
    '[\\u0009\\u000A\\u000D\\u0020-\\u00FF]+',
  ),
  description: text(
    0,
    1000,
    /^[\t\n\r\x20-\x7e\xa1-\xff]*$/,
    '[\\u0009\\u000A\\u000D\\u0020-\\u007E\\u00A1-\\u00FF]*',
  ),
  /** How long sessions of a role may last, in seconds: one to twelve hours. */
  maxSessionDuration: z.coerce.number().int().min(3600).max(43200),
  /** ARNs only have lengths in the model; their form is checked by the handlers (InvalidInput). */
  arn: text(20, 2048),
  versionId: text(
    1,
    128,
    /^v[1-9][0-9]*(\.[A-Za-z0-9-]*)?$/,
    'v[1-9][0-9]*(\\.[A-Za-z0-9-]*)?',
  ),
  /** A boolean member: `true` or `false`, as the SDK serializes it. */
  flag: z.enum(['true', 'false']).transform(value => value === 'true'),
  tags: queryList(z.object({ Key: tagKey, Value: tagValue }), 50),
  tagKeys: queryList(tagKey, 50),
};

/** The Marker and MaxItems members of IAM's list calls. */
export const pagingInput = {
  Marker: text(1, undefined, /^[\x20-\xff]+$/, '[\\u0020-\\u00FF]+').optional(),
  MaxItems: z.coerce.number().int().min(1).max(1000).optional(),
};

/** Names a member as the Query request spelled it: `Tags.member.2.Key`. */
function memberName(path: (string | number)[]): string {
  return path
    .map(part => (typeof part === 'number' ? `member.${part + 1}` : part))
    .join('.');
}

function rule(issue: ZodIssue): string {
  switch (issue.code) {
    case 'invalid_type':
      return issue.received === 'undefined'
        ? 'Member must not be null'
        : `Member must be of type ${issue.expected}`;
    case 'too_small':
      return issue.type === 'number'
        ? `Member must have value greater than or equal to ${issue.minimum}`
        : `Member must have length greater than or equal to ${issue.minimum}`;
    case 'too_big':
      return issue.type === 'number'
        ? `Member must have value less than or equal to ${issue.maximum}`
        : `Member must have length less than or equal to ${issue.maximum}`;
    case 'invalid_enum_value':
      return `Member must satisfy enum value set: [${issue.options.join(
        ', ',
      )}]`;
    default:
      return issue.message;
  }
}

/** The message of IAM's ValidationError for the first rule an input breaks. */
export function describeIssue(issue: ZodIssue): string {
  return `1 validation error detected: Value at '${memberName(
    issue.path,
  )}' failed to satisfy constraint: ${rule(issue)}`;
}
