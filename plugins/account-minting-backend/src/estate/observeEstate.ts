import {
  Account,
  ListAccountsForParentCommand,
  ListAccountsForParentCommandOutput,
} from '@aws-sdk/client-organizations';
import { OrganizationSession } from '../aws/OrganizationSession';
import { childOus, findRootId, tagsOf } from './observe';

/** An account as found in a region OU. */
export interface EstateAccountObservation {
  id: string;
  name: string;
  email: string;
  status: string;
  tags: Record<string, string>;
}

/** What a payer's organization holds below the platform OU: environment OUs, region OUs, accounts. */
export interface PayerObservation {
  rootId: string;
  platformOuId?: string;
  environments: {
    name: string;
    id: string;
    regions: {
      name: string;
      id: string;
      accounts: EstateAccountObservation[];
    }[];
  }[];
}

async function accountsIn(
  session: OrganizationSession,
  parentId: string,
  withTags: boolean,
): Promise<EstateAccountObservation[]> {
  const accounts = await session.listAll<
    Account,
    ListAccountsForParentCommandOutput
  >(
    NextToken =>
      new ListAccountsForParentCommand({ ParentId: parentId, NextToken }),
    o => o.Accounts,
  );
  return Promise.all(
    accounts.map(async a => ({
      id: a.Id!,
      name: a.Name ?? '',
      email: a.Email ?? '',
      status: a.Status ?? '',
      tags: withTags ? await tagsOf(session, a.Id!) : {},
    })),
  );
}

/**
 * Reads a payer's platform OU tree: the estate as AWS has it. Without `tags`, the
 * accounts' tags are not read (one call per account saved) and come back empty.
 */
export async function observePayer(
  session: OrganizationSession,
  platformOu: string,
  options: { tags?: boolean } = {},
): Promise<PayerObservation> {
  const rootId = await findRootId(session);
  const platform = (await childOus(session, rootId)).find(
    ou => ou.Name === platformOu,
  );
  if (!platform?.Id) return { rootId, environments: [] };
  const environments = await Promise.all(
    (
      await childOus(session, platform.Id)
    ).map(async env => ({
      name: env.Name ?? '',
      id: env.Id!,
      regions: await Promise.all(
        (
          await childOus(session, env.Id!)
        ).map(async region => ({
          name: region.Name ?? '',
          id: region.Id!,
          accounts: await accountsIn(session, region.Id!, options.tags ?? true),
        })),
      ),
    })),
  );
  return { rootId, platformOuId: platform.Id, environments };
}
