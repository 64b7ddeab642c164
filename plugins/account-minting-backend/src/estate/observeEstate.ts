import {
  Account,
  ListAccountsForParentCommand,
  ListAccountsForParentCommandOutput,
} from '@aws-sdk/client-organizations';
import { OrganizationSession } from '../aws/OrganizationSession';
import { childOus, findRootId, listScps, tagsOf, targetsOf } from './observe';

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
  /** The closed OU below the root with its accounts, when asked for and it exists. */
  closedOu?: { id: string; accounts: EstateAccountObservation[] };
  /** The declared service control policies attached to each OU, by OU id. */
  policies: Record<string, string[]>;
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
 * The declared SCPs (by name) attached to each target, by target id: one listing of
 * the organization's SCPs, then the targets of the declared ones only (FullAWSAccess,
 * on every OU, is never listed).
 */
async function declaredPolicyTargets(
  session: OrganizationSession,
  declared: string[],
): Promise<Record<string, string[]>> {
  const byTarget: Record<string, string[]> = {};
  if (declared.length === 0) return byTarget;
  const scps = (await listScps(session)).filter(p =>
    declared.includes(p.Name ?? ''),
  );
  for (const scp of scps) {
    for (const target of await targetsOf(session, scp.Id!)) {
      byTarget[target.TargetId!] = [
        ...(byTarget[target.TargetId!] ?? []),
        scp.Name!,
      ].sort();
    }
  }
  return byTarget;
}

/**
 * Reads a payer's platform OU tree: the estate as AWS has it, with the declared SCPs
 * of each OU. Without `tags`, the accounts' tags are not read (one call per account
 * saved) and come back empty.
 */
export async function observePayer(
  session: OrganizationSession,
  platformOu: string,
  options: { tags?: boolean; policies?: string[]; closedOu?: string } = {},
): Promise<PayerObservation> {
  const rootId = await findRootId(session);
  const topOus = await childOus(session, rootId);
  const platform = topOus.find(ou => ou.Name === platformOu);
  const policies = await declaredPolicyTargets(session, options.policies ?? []);
  // Closed accounts are shown as they are: their tags do not matter any more.
  const closed = topOus.find(ou => ou.Name === options.closedOu);
  const closedOu = closed?.Id
    ? { id: closed.Id, accounts: await accountsIn(session, closed.Id, false) }
    : undefined;
  if (!platform?.Id) return { rootId, environments: [], policies, closedOu };
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
  return {
    rootId,
    platformOuId: platform.Id,
    environments,
    policies,
    closedOu,
  };
}
