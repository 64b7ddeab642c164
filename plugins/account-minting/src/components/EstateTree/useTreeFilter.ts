import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import { STATUS_FILTERS, StatusFilter } from './estateModel';

/** How long typing pauses before the address follows the filter; the tree follows each keystroke. */
const ADDRESS_DELAY_MS = 400;

/**
 * The filter of the tree, kept in the address so that a filtered view can be shared.
 * The text typed filters at once and reaches the address when typing pauses or the
 * field is left: writing the address draws the whole page again, which a keystroke
 * should not wait for.
 */
export function useTreeFilter() {
  const [params, setParams] = useSearchParams();
  const addressQuery = params.get('q') ?? '';
  const [query, setQuery] = useState(addressQuery);
  /** The text the address has or is about to have. */
  const written = useRef(addressQuery);
  /** The address's write waiting for typing to pause, and the address it was typed at. */
  const pending = useRef<{
    timer: ReturnType<typeof setTimeout>;
    address: string;
  }>();
  const cancel = useCallback(() => {
    clearTimeout(pending.current?.timer);
    pending.current = undefined;
  }, []);
  useEffect(() => cancel, [cancel]);
  // The address changed otherwise than by typing (a link to the tree with another filter).
  useEffect(() => {
    if (addressQuery === written.current) return;
    cancel();
    written.current = addressQuery;
    setQuery(addressQuery);
  }, [addressQuery, cancel]);
  const statuses = useMemo(
    () =>
      // Whatever the address says that the tree does not know is ignored.
      (params.get('status') ?? '')
        .split(',')
        .filter((s): s is StatusFilter =>
          STATUS_FILTERS.includes(s as StatusFilter),
        ),
    [params],
  );
  const write = useCallback(
    (nextStatuses?: StatusFilter[]) =>
      setParams(
        current => {
          const copy = new URLSearchParams(current);
          const set = (name: string, value: string) =>
            value ? copy.set(name, value) : copy.delete(name);
          set('q', written.current);
          if (nextStatuses !== undefined) set('status', nextStatuses.join(','));
          return copy;
        },
        { replace: true },
      ),
    [setParams],
  );
  /** Writes the text typed now, unless the portal went elsewhere since it was typed. */
  const flush = useCallback(() => {
    const waiting = pending.current;
    cancel();
    // A tab clicked while its view still loads: writing the tree's address would take the user back.
    if (waiting && window.location.href === waiting.address) write();
  }, [cancel, write]);
  const update = useCallback(
    (next: { query?: string; statuses?: StatusFilter[] }) => {
      cancel();
      if (next.query !== undefined) {
        written.current = next.query;
        setQuery(next.query);
      }
      if (next.statuses !== undefined) {
        write(next.statuses);
        return;
      }
      pending.current = {
        timer: setTimeout(flush, ADDRESS_DELAY_MS),
        address: window.location.href,
      };
    },
    [cancel, flush, write],
  );
  // Leaving the field writes at once what typing has not yet paused for.
  return { query, statuses, update, flush };
}
