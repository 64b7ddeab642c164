import {
  Plan,
  PlanAction,
} from '@regional-minting/plugin-account-minting-common';
import { DesiredAccount, DesiredRegion } from './desired';

export type {
  Plan,
  PlanAction,
} from '@regional-minting/plugin-account-minting-common';
import { ObservedAccount, ObservedRegion } from './observed';

/** The OUs missing from a region's path, top down. */
export function planOuPath(
  desired: DesiredRegion,
  observed: ObservedRegion,
): PlanAction[] {
  const actions: PlanAction[] = [];
  observed.ouPath.forEach((level, i) => {
    if (!level.id) {
      const parentPath = ['Root', ...desired.ouPath.slice(0, i)].join('/');
      actions.push({
        action: 'create-ou',
        target: `${parentPath}/${level.name}`,
        parentPath,
        name: level.name,
        reason: `OU ${level.name} does not exist under ${parentPath}`,
      });
    }
  });
  if (actions.length === 0) {
    actions.push({
      action: 'none',
      target: ['Root', ...desired.ouPath].join('/'),
      reason: 'the OU path exists',
    });
  }
  return actions;
}

function tagDifferences(
  desired: DesiredAccount,
  actual: ObservedAccount,
  managed: Set<string>,
) {
  const toSet = Object.fromEntries(
    Object.entries(desired.tags).filter(([k, v]) => actual.tags[k] !== v),
  );
  const toRemove = Object.keys(actual.tags).filter(
    k => managed.has(k) && !(k in desired.tags),
  );
  return { toSet, toRemove };
}

/** What is known of one account: the region plan reads it from the region's observation, the account step from its own. */
export interface AccountObservation {
  /** The account, when it exists. */
  account?: ObservedAccount;
  /** Its creation in progress, when there is one. */
  inFlightRequestId?: string;
  /** The region OU, once it exists. */
  regionOuId?: string;
}

/** What an account needs: creating, waiting for, moving into its region OU, tagging. */
export function planAccount(
  desired: DesiredAccount,
  observed: AccountObservation,
  regionOuPath: string,
  managedKeys: Set<string>,
): PlanAction[] {
  const { regionOuId, account: actual } = observed;
  const target = desired.name;
  if (!actual) {
    const requestId = observed.inFlightRequestId;
    if (requestId) {
      return [
        {
          action: 'wait-for-creation',
          target,
          requestId,
          reason: `creation ${requestId} is in progress`,
        },
        {
          action: 'move-account',
          target,
          to: regionOuPath,
          reason: 'a new account starts in the root',
        },
      ];
    }
    return [
      {
        action: 'create-account',
        target,
        email: desired.email,
        tags: desired.tags,
        reason: `no account has the email ${desired.email}`,
      },
      {
        action: 'move-account',
        target,
        to: regionOuPath,
        reason: 'a new account starts in the root',
      },
    ];
  }
  const actions: PlanAction[] = [];
  if (!regionOuId || actual.parentId !== regionOuId) {
    actions.push({
      action: 'move-account',
      target,
      accountId: actual.id,
      to: regionOuPath,
      reason: `the account sits in ${actual.parentId}, not in its region OU`,
    });
  }
  // An adopted account takes the naming rule's name; a minted one was given it.
  if (desired.accountId && actual.name !== desired.name) {
    actions.push({
      action: 'rename-account',
      target,
      accountId: actual.id,
      from: actual.name,
      to: desired.name,
      reason: `an adopted account is named by the naming rule, not ${actual.name}`,
    });
  }
  const { toSet, toRemove } = tagDifferences(desired, actual, managedKeys);
  if (Object.keys(toSet).length > 0) {
    actions.push({
      action: 'tag-account',
      target,
      accountId: actual.id,
      tags: toSet,
      reason: `tags ${Object.keys(toSet).join(', ')} are missing or differ`,
    });
  }
  if (toRemove.length > 0) {
    actions.push({
      action: 'untag-account',
      target,
      accountId: actual.id,
      keys: toRemove,
      reason: `managed tags ${toRemove.join(', ')} are not wanted`,
    });
  }
  if (actions.length === 0) {
    actions.push({
      action: 'none',
      target,
      reason: `account ${actual.id} is in its region OU with its tags`,
    });
  }
  return actions;
}

/** The whole plan of a region: its OU path, then each account. */
export function planRegion(
  desired: DesiredRegion,
  observed: ObservedRegion,
  managedKeys: Set<string>,
): Plan {
  const regionOuPath = ['Root', ...desired.ouPath].join('/');
  const actions = [
    ...planOuPath(desired, observed),
    ...desired.accounts.flatMap(a =>
      planAccount(
        a,
        {
          account: observed.accounts[a.name],
          inFlightRequestId: observed.inFlight[a.name],
          regionOuId: observed.ouPath.at(-1)?.id,
        },
        regionOuPath,
        managedKeys,
      ),
    ),
  ];
  return {
    region: desired.name,
    payer: desired.payer,
    actions,
    changes: actions.filter(a => a.action !== 'none').length,
  };
}
