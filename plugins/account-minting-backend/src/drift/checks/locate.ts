import { DesiredAccount, DesiredRegion } from '../../estate/desired';
import { observePayer } from '../../estate/observeEstate';
import { payerSession } from '../../engine/stepContext';
import { CheckContext } from './types';

/** A desired account found in its region OU, with its id. */
export interface LocatedAccount {
  region: DesiredRegion;
  account: DesiredAccount;
  id: string;
}

/**
 * The payer's desired accounts that sit in their region OUs, read with one walk of
 * the platform OU tree and no tags: what the bootstrap and provision checks look
 * into. Accounts elsewhere are the mint check's findings, not theirs.
 */
export async function locateAccounts(
  ctx: CheckContext,
): Promise<LocatedAccount[]> {
  const session = await payerSession(ctx, { fresh: true });
  const observation = await observePayer(session, ctx.config.platformOu, {
    tags: false,
  });
  return ctx.regions.flatMap(region => {
    const [, envName, regionName] = region.ouPath;
    const accounts =
      observation.environments
        .find(e => e.name === envName)
        ?.regions.find(r => r.name === regionName)?.accounts ?? [];
    return region.accounts.flatMap(account => {
      const found = accounts.find(
        a => a.email.toLowerCase() === account.email.toLowerCase(),
      );
      return found ? [{ region, account, id: found.id }] : [];
    });
  });
}
