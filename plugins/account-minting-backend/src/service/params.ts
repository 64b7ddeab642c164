import { InputError, NotFoundError } from '@backstage/errors';
import { clip, quote } from '@regional-minting/plugin-account-minting-common';

/**
 * The checks of what the REST API reads from a request (path ids, query filters,
 * body fields), made before anything reaches the database. Every refusal is an
 * InputError (400) whose message starts with the parameter's name, and quotes
 * at most 100 characters of what was sent.
 *
 * Text: a string (not an array or object, as `?a=1&a=2` or `?a[b]=1` make),
 * without control characters (PostgreSQL refuses a NUL byte outright), of at
 * most `max` characters.
 *
 * Ids: run, step and finding ids are UUIDs. An id that is well-formed text but
 * not a UUID names nothing, so it is answered as an unknown id is — 404 (or an
 * empty list where an unknown id gives one) — without a database query.
 */

/** The longest id or name the API reads: longer than any name AWS allows. */
export const MAX_TEXT = 200;
/** AWS allows up to 128 characters in an OU name, which names a region. */
export const MAX_REGION_NAME = 128;
/** AWS allows up to 50 characters in an account name. */
export const MAX_ACCOUNT_NAME = 50;
/** The largest log line id: the column is a 32-bit integer. */
export const MAX_LOG_LINE_ID = 2_147_483_647;

// C0 and C1 control characters, DEL included.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Whether a text is a UUID, as run, step and finding ids are. */
export function isUuid(text: string): boolean {
  return UUID.test(text);
}

/**
 * An optional text parameter: undefined when absent or empty.
 * @throws InputError naming the parameter for anything but one short, printable string
 */
export function optionalText(
  name: string,
  value: unknown,
  options: { max?: number; what?: string } = {},
): string | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  const what = options.what ?? 'one string';
  if (typeof value !== 'string') {
    throw new InputError(`${name}: must be ${what}`);
  }
  const max = options.max ?? MAX_TEXT;
  if (value.length > max) {
    throw new InputError(
      `${name}: must be at most ${max} characters (got ${value.length}: ${quote(
        value,
      )})`,
    );
  }
  if (CONTROL.test(value)) {
    throw new InputError(
      `${name}: must not contain control characters (got ${quote(value)})`,
    );
  }
  return value;
}

/**
 * A required text parameter.
 * @throws InputError naming the parameter when it is absent or not one short, printable string
 */
export function requiredText(
  name: string,
  value: unknown,
  options: { max?: number; what?: string } = {},
): string {
  const text = optionalText(name, value, options);
  if (text === undefined) {
    throw new InputError(`${name}: must be ${options.what ?? 'one string'}`);
  }
  return text;
}

/**
 * An optional parameter that is one of the allowed values.
 * @throws InputError naming the parameter and the allowed values otherwise
 */
export function oneOf<T extends string>(
  name: string,
  value: unknown,
  allowed: readonly T[],
): T | undefined {
  const text = optionalText(name, value, {
    what: `one of ${allowed.join(', ')}`,
  });
  if (text === undefined) return undefined;
  if (!allowed.includes(text as T)) {
    throw new InputError(`${name}: must be one of ${allowed.join(', ')}`);
  }
  return text as T;
}

/**
 * Several of the allowed values, comma-separated, such as `status=queued,running`.
 * @throws InputError naming the parameter and the first value not allowed
 */
export function listOf<T extends string>(
  name: string,
  value: unknown,
  allowed: readonly T[],
): T[] | undefined {
  const text = optionalText(name, value, {
    what: `a comma-separated list of ${allowed.join(', ')}`,
  });
  if (text === undefined) return undefined;
  const items = text.split(',');
  const unknown = items.find(item => !allowed.includes(item as T));
  if (unknown !== undefined) {
    throw new InputError(
      `${name}: ${quote(unknown)} is not one of ${allowed.join(', ')}`,
    );
  }
  return items as T[];
}

/**
 * An optional boolean body field.
 * @throws InputError naming the field for anything but true or false
 */
export function bodyFlag(name: string, value: unknown): boolean | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'boolean') {
    throw new InputError(
      `${name}: must be true or false, not ${describeType(value)}`,
    );
  }
  return value;
}

/**
 * An optional id of a log line, to page on from: a whole number from 0 to 2147483647.
 * @throws InputError naming the parameter otherwise
 */
export function logLineId(name: string, value: unknown): number | undefined {
  const text = optionalText(name, value, { what: 'a log line id' });
  if (text === undefined) return undefined;
  const id = /^\d{1,10}$/.test(text) ? Number(text) : NaN;
  if (!Number.isSafeInteger(id) || id > MAX_LOG_LINE_ID) {
    throw new InputError(
      `${name}: must be a log line id, a whole number from 0 to ${MAX_LOG_LINE_ID} (got ${quote(
        text,
      )})`,
    );
  }
  return id;
}

/**
 * An optional page size: a whole number from 1 to `max`.
 * @throws InputError naming the parameter otherwise
 */
export function pageLimit(
  name: string,
  value: unknown,
  max: number,
): number | undefined {
  const text = optionalText(name, value, { what: 'a page size' });
  if (text === undefined) return undefined;
  const limit = /^\d{1,10}$/.test(text) ? Number(text) : NaN;
  if (!(limit >= 1 && limit <= max)) {
    throw new InputError(
      `${name}: must be a page size, a whole number from 1 to ${max} (got ${quote(
        text,
      )})`,
    );
  }
  return limit;
}

/**
 * An optional page cursor: the `nextCursor` of a previous page, opaque text.
 * What it holds is checked where it is read.
 * @throws InputError naming the parameter for anything but one short, printable string
 */
export function pageCursor(name: string, value: unknown): string | undefined {
  return optionalText(name, value, {
    what: 'the nextCursor of a previous page',
  });
}

/**
 * A request body that must be a JSON object (or absent, as a body of another
 * content type is: then every field is missing).
 * @throws InputError naming the body otherwise
 */
export function bodyObject(body: unknown): Record<string, unknown> {
  if (body === undefined || body === null) return {};
  if (typeof body !== 'object' || Array.isArray(body)) {
    throw new InputError(
      `body: must be a JSON object, not ${describeType(body)}`,
    );
  }
  return body as Record<string, unknown>;
}

/**
 * What names a run, step or finding by its id: an id that is not a UUID names
 * nothing, and gets the 404 an unknown id gets, without a database query.
 * @throws NotFoundError for an id that is not a UUID
 */
export function knownId(
  id: string,
  what: 'run' | 'step' | 'drift finding' | 'change request',
): string {
  if (!isUuid(id)) {
    throw new NotFoundError(`No ${what} with id ${clip(id)}`);
  }
  return id;
}

function describeType(value: unknown): string {
  if (Array.isArray(value)) return 'a list';
  if (value === null) return 'null';
  return `a ${typeof value}`;
}
