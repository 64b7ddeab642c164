import { page } from '../paging';
import { orgErrors } from './errors';

/** The default and largest page of Organizations' list calls. */
export const PAGE_SIZE = 20;

/** The error for a NextToken that no list of this sandbox handed out. */
export const invalidToken = () =>
  orgErrors.invalidInput(
    'INVALID_NEXT_TOKEN',
    'You specified an invalid value for nextToken.',
  );

/** One page of an Organizations list, as the call's NextToken and MaxResults ask. */
export function listPage<T>(
  items: T[],
  listKey: string,
  input: { NextToken?: string; MaxResults?: number },
) {
  return page(
    items,
    listKey,
    input.NextToken,
    input.MaxResults ?? PAGE_SIZE,
    invalidToken,
  );
}
