import {
  Account,
  CreateAccountStatus,
  DescribeAccountCommand,
  DescribeAccountCommandOutput,
  ListAccountsCommand,
  ListAccountsCommandOutput,
  ListCreateAccountStatusCommand,
  ListCreateAccountStatusCommandOutput,
  ListOrganizationalUnitsForParentCommand,
  ListOrganizationalUnitsForParentCommandOutput,
  ListParentsCommand,
  ListParentsCommandOutput,
  ListRootsCommand,
  ListRootsCommandOutput,
  ListTagsForResourceCommand,
  ListTagsForResourceCommandOutput,
  ListPoliciesCommand,
  ListPoliciesCommandOutput,
  ListTargetsForPolicyCommand,
  ListTargetsForPolicyCommandOutput,
  OrganizationalUnit,
  PolicySummary,
  PolicyTargetSummary,
} from '@aws-sdk/client-organizations';
import { OrganizationSession } from '../aws/OrganizationSession';
import { readKeys } from '../aws/observer/OrganizationObserver';
import { DesiredRegion } from './desired';
import { ObservedAccount, ObservedOu, ObservedRegion } from './observed';

/**
 * A read through the session's observer when it has one (a run's step: every run of the
 * backend shares one copy of the organization), else from AWS (drift checks, the estate).
 */
function throughCopy<T>(
  session: OrganizationSession,
  key: string,
  load: () => Promise<T>,
  options: { fresh?: boolean } = {},
): Promise<T> {
  return session.observer
    ? session.observer.copy.read(key, load, {
        ...options,
        since: session.readsSince,
      })
    : load();
}

/** The Organizations policy type of service control policies. */
export const SCP_TYPE = 'SERVICE_CONTROL_POLICY';

/** Every service control policy of the organization, summarized. */
export function listScps(
  session: OrganizationSession,
): Promise<PolicySummary[]> {
  return session.listAll<PolicySummary, ListPoliciesCommandOutput>(
    NextToken => new ListPoliciesCommand({ Filter: SCP_TYPE, NextToken }),
    o => o.Policies,
  );
}

/** The roots, OUs and accounts a policy is attached to. */
export function targetsOf(
  session: OrganizationSession,
  policyId: string,
): Promise<PolicyTargetSummary[]> {
  return session.listAll<
    PolicyTargetSummary,
    ListTargetsForPolicyCommandOutput
  >(
    NextToken =>
      new ListTargetsForPolicyCommand({ PolicyId: policyId, NextToken }),
    o => o.Targets,
  );
}

export async function findRootId(
  session: OrganizationSession,
): Promise<string> {
  // An organization's root never changes: once known, it is never read again.
  const { observer } = session;
  if (observer?.rootId) return observer.rootId;
  const rootId = await throughCopy(session, readKeys.root(), async () => {
    const roots = await session.listAll<
      { Id?: string },
      ListRootsCommandOutput
    >(
      NextToken => new ListRootsCommand({ NextToken }),
      o => o.Roots,
    );
    if (!roots[0]?.Id) throw new Error('the payer organization has no root');
    return roots[0].Id;
  });
  if (observer) observer.rootId = rootId;
  return rootId;
}

export async function childOus(
  session: OrganizationSession,
  parentId: string,
): Promise<OrganizationalUnit[]> {
  return throughCopy(session, readKeys.ous(parentId), () =>
    session.listAll<
      OrganizationalUnit,
      ListOrganizationalUnitsForParentCommandOutput
    >(
      NextToken =>
        new ListOrganizationalUnitsForParentCommand({
          ParentId: parentId,
          NextToken,
        }),
      o => o.OrganizationalUnits,
    ),
  );
}

/** Walks a path of OU names down from the root, as far as it exists. */
export async function observeOuPath(
  session: OrganizationSession,
  rootId: string,
  names: string[],
): Promise<ObservedOu[]> {
  const path: ObservedOu[] = [];
  let parentId: string | undefined = rootId;
  for (const name of names) {
    const id: string | undefined = parentId
      ? (await childOus(session, parentId)).find(ou => ou.Name === name)?.Id
      : undefined;
    path.push({ name, id });
    parentId = id;
  }
  return path;
}

/** The organization's accounts; `fresh` reads AWS whatever the copy holds, as after a refusal. */
export async function listAccounts(
  session: OrganizationSession,
  options: { fresh?: boolean } = {},
): Promise<Account[]> {
  return throughCopy(
    session,
    readKeys.accounts(),
    () =>
      session.listAll<Account, ListAccountsCommandOutput>(
        NextToken => new ListAccountsCommand({ NextToken }),
        o => o.Accounts,
      ),
    options,
  );
}

export async function listCreations(
  session: OrganizationSession,
  states: ('IN_PROGRESS' | 'SUCCEEDED' | 'FAILED')[],
  options: { fresh?: boolean } = {},
): Promise<CreateAccountStatus[]> {
  return throughCopy(
    session,
    readKeys.creations(states),
    () =>
      session.listAll<
        CreateAccountStatus,
        ListCreateAccountStatusCommandOutput
      >(
        NextToken =>
          new ListCreateAccountStatusCommand({ States: states, NextToken }),
        o => o.CreateAccountStatuses,
      ),
    options,
  );
}

export async function parentOf(
  session: OrganizationSession,
  childId: string,
): Promise<string> {
  return throughCopy(session, readKeys.parent(childId), async () => {
    const parents = await session.listAll<
      { Id?: string },
      ListParentsCommandOutput
    >(
      NextToken => new ListParentsCommand({ ChildId: childId, NextToken }),
      o => o.Parents,
    );
    return parents[0]?.Id ?? '';
  });
}

export async function tagsOf(
  session: OrganizationSession,
  resourceId: string,
): Promise<Record<string, string>> {
  return throughCopy(session, readKeys.tags(resourceId), async () => {
    const tags = await session.listAll<
      { Key?: string; Value?: string },
      ListTagsForResourceCommandOutput
    >(
      NextToken =>
        new ListTagsForResourceCommand({ ResourceId: resourceId, NextToken }),
      o => o.Tags,
    );
    return Object.fromEntries(tags.map(t => [t.Key ?? '', t.Value ?? '']));
  });
}

/** An account by id: from the copy's accounts when it holds it, else from AWS. */
export async function describeAccount(
  session: OrganizationSession,
  accountId: string,
): Promise<Account> {
  const copy = session.observer?.copy;
  const known =
    copy?.peek<Account>(readKeys.account(accountId), session.readsSince) ??
    copy
      ?.peek<Account[]>(readKeys.accounts(), session.readsSince)
      ?.find(a => a.Id === accountId);
  if (known) return known;
  const { Account: account } = await session.send<DescribeAccountCommandOutput>(
    new DescribeAccountCommand({ AccountId: accountId }),
  );
  return account!;
}

/** An account with its parent and tags. */
export async function observeAccount(
  session: OrganizationSession,
  account: Account,
): Promise<ObservedAccount> {
  const [parentId, tags] = await Promise.all([
    parentOf(session, account.Id!),
    tagsOf(session, account.Id!),
  ]);
  return {
    id: account.Id!,
    name: account.Name ?? '',
    email: account.Email ?? '',
    status: account.Status ?? '',
    parentId,
    tags,
  };
}

/** Reads what a region has in its payer: the OU path, its accounts (found by email), creations in flight. */
export async function observeRegion(
  session: OrganizationSession,
  desired: DesiredRegion,
): Promise<ObservedRegion> {
  const rootId = await findRootId(session);
  const [ouPath, accounts, inFlight] = await Promise.all([
    observeOuPath(session, rootId, desired.ouPath),
    listAccounts(session),
    listCreations(session, ['IN_PROGRESS']),
  ]);
  const byEmail = new Map(accounts.map(a => [a.Email?.toLowerCase(), a]));
  const observed: ObservedRegion = {
    rootId,
    ouPath,
    accounts: {},
    inFlight: {},
  };
  await Promise.all(
    desired.accounts.map(async wanted => {
      const account = byEmail.get(wanted.email.toLowerCase());
      if (account) {
        observed.accounts[wanted.name] = await observeAccount(session, account);
        return;
      }
      const creation = inFlight.find(c => c.AccountName === wanted.name);
      if (creation?.Id) observed.inFlight[wanted.name] = creation.Id;
    }),
  );
  return observed;
}
