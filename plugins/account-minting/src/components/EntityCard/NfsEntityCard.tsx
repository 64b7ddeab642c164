import { useRouteRef } from '@backstage/frontend-plugin-api';
import { rootRouteRef } from '../../routes';
import { AccountMintingEntityCard } from './AccountMintingEntityCard';

/**
 * The card in an app on the new frontend system: its links go to wherever the app
 * mounted the plugin's page, which the catalog's entity page is not below.
 */
export function NfsAccountMintingEntityCard() {
  // Undefined when the app has no such page, such as with the page disabled.
  const pageLink = useRouteRef(rootRouteRef);
  return <AccountMintingEntityCard pageBase={pageLink?.()} />;
}
