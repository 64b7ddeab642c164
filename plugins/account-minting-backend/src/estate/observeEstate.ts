import {
  Account,
  ListAccountsForParentCommand,
  ListAccountsForParentCommandOutput,
  OrganizationalUnit,
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

/** The closed OU below the root with its accounts, if it exists. */
async function observeClosedOu(
  session: OrganizationSession,
  topOus: OrganizationalUnit[],
  closedOu: string | undefined,
): Promise<PayerObservation['closedOu']> {
  // Closed accounts are shown as they are: their tags do not matter any more.
  const closed = topOus.find(ou => ou.Name === closedOu);
  return closed?.Id
    ? { id: closed.Id, accounts: await accountsIn(session, closed.Id, false) }
    : undefined;
}

/** Options of a payer's observation: tags read or not, the SCPs to look for, the closed OU. */
export interface ObservePayerOptions {
  tags?: boolean;
  policies?: string[];
  closedOu?: string;
}

/**
 * Reads a payer's platform OU tree: the estate as AWS has it, with the declared SCPs
 * of each OU. Without `tags`, the accounts' tags are not read (one call per account
 * saved) and come back empty.
 */
export async function observePayer(
  session: OrganizationSession,
  platformOu: string,
  options: ObservePayerOptions = {},
): Promise<PayerObservation> {
  const rootId = await findRootId(session);
  const topOus = await childOus(session, rootId);
  const platform = topOus.find(ou => ou.Name === platformOu);
  const policies = await declaredPolicyTargets(session, options.policies ?? []);
  const closedOu = await observeClosedOu(session, topOus, options.closedOu);
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

/**
 * A payer's observation with some region OUs read again, by environment and name: what
 * the steps finished since it was made may have changed. Only those OUs' accounts (and
 * their tags) are listed again, the OU lists only where a region is new or gone, and the
 * closed OU and the SCPs' targets, which a decommission or a region run change. Without
 * the platform OU, the whole payer is read again (its first region made it).
 */
export async function observeChangedRegions(
  session: OrganizationSession,
  previous: PayerObservation,
  changed: { environment: string; name: string }[],
  platformOu: string,
  options: ObservePayerOptions = {},
): Promise<PayerObservation> {
  if (!previous.platformOuId) {
    return observePayer(session, platformOu, options);
  }
  const topOus = await childOus(session, previous.rootId);
  if (!topOus.some(ou => ou.Id === previous.platformOuId)) {
    return observePayer(session, platformOu, options);
  }
  const platformOuId = previous.platformOuId;
  let environments = previous.environments;
  const changedEnvs = new Set(changed.map(c => c.environment));
  if ([...changedEnvs].some(env => !environments.some(e => e.name === env))) {
    // An environment OU made since: list them again, keeping what is known of the others.
    environments = (await childOus(session, platformOuId)).map(ou => ({
      name: ou.Name ?? '',
      id: ou.Id!,
      regions: environments.find(e => e.id === ou.Id)?.regions ?? [],
    }));
  }
  environments = await Promise.all(
    environments.map(async env => {
      const names = new Set(
        changed.filter(c => c.environment === env.name).map(c => c.name),
      );
      if (names.size === 0) return env;
      const regionOus = [...names].every(n =>
        env.regions.some(r => r.name === n),
      )
        ? env.regions
        : // A region OU made or deleted since: the environment's OU list again.
          (await childOus(session, env.id)).map(ou => ({
            name: ou.Name ?? '',
            id: ou.Id!,
            accounts: env.regions.find(r => r.id === ou.Id)?.accounts ?? [],
          }));
      const regions = await Promise.all(
        regionOus.map(async region =>
          names.has(region.name)
            ? {
                ...region,
                accounts: await accountsIn(
                  session,
                  region.id,
                  options.tags ?? true,
                )
                  // A region OU a decommission deleted has no accounts left to show.
                  .catch(error => {
                    if ((error as Error).name === 'ParentNotFoundException') {
                      return undefined;
                    }
                    throw error;
                  }),
              }
            : region,
        ),
      );
      return {
        ...env,
        regions: regions.filter(
          (r): r is (typeof env.regions)[number] => r.accounts !== undefined,
        ),
      };
    }),
  );
  return {
    rootId: previous.rootId,
    platformOuId,
    environments,
    policies: await declaredPolicyTargets(session, options.policies ?? []),
    closedOu: await observeClosedOu(session, topOus, options.closedOu),
  };
}
