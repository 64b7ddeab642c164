import { RouteRef, useRouteRef } from '@backstage/core-plugin-api';
import { AccountMintingEntityCard } from './AccountMintingEntityCard';

/** The path of a legacy route, or undefined when the app does not mount it. */
function useMountedPath(routeRef: RouteRef): string | undefined {
  try {
    // The hook calls its own hooks before it throws, so the order stays the same.
    return useRouteRef(routeRef)();
  } catch {
    return undefined;
  }
}

/**
 * The card in a legacy app: its links go to where the app routes
 * `<AccountMintingPage />`, whose mount point is `pageRouteRef`.
 */
export function LegacyAccountMintingEntityCard(props: {
  pageRouteRef: RouteRef;
}) {
  return (
    <AccountMintingEntityCard pageBase={useMountedPath(props.pageRouteRef)} />
  );
}
