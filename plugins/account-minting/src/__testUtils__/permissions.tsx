import { ReactNode } from 'react';
import { SWRConfig } from 'swr';

/**
 * usePermission caches answers for the whole test file; each test that checks
 * permissions renders in a cache of its own, so that its answers are its own.
 */
export function FreshPermissions(props: { children: ReactNode }): JSX.Element {
  return (
    <SWRConfig value={{ provider: () => new Map() }}>
      {props.children}
    </SWRConfig>
  );
}
