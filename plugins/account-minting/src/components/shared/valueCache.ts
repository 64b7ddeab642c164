import type { ValueCache } from './useLiveValue';

/**
 * A cache of one value per key (such as per API client, so that two apps on one page or
 * two tests never share one), for a view's last value while it is not shown.
 */
export function keyedValueCache<K extends object, T>(): (
  key: K,
) => ValueCache<T> {
  const values = new WeakMap<K, T>();
  return key => ({
    get: () => values.get(key),
    set: value => values.set(key, value),
  });
}
