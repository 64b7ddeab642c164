import { xmlList } from '../../protocols/query';
import { page } from '../paging';
import { iamErrors } from './errors';

/** IAM's page size when a list call gives no MaxItems. */
const DEFAULT_MAX_ITEMS = 100;

/**
 * One page of an IAM list result: the items under `member`, with IsTruncated and,
 * when there is more, the Marker to ask for the next page with. `listKey` names
 * the list, so that a Marker from another list is refused.
 */
export function listPage<T>(
  member: string,
  items: T[],
  listKey: string,
  input: { Marker?: string; MaxItems?: number },
) {
  const result = page(
    items,
    listKey,
    input.Marker,
    input.MaxItems ?? DEFAULT_MAX_ITEMS,
    () => iamErrors.invalidInput('Invalid Marker.'),
  );
  return {
    [member]: xmlList(result.items),
    IsTruncated: result.nextToken !== undefined,
    Marker: result.nextToken,
  };
}
