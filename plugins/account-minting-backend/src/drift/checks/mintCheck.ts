import { Account } from '@aws-sdk/client-organizations';
import { OrganizationSession } from '../../aws/OrganizationSession';
import { DesiredRegion, managedTagKeys } from '../../estate/desired';
import { listAccounts, observeAccount } from '../../estate/observe';
import {
  EstateAccountObservation,
  observePayer,
  PayerObservation,
} from '../../estate/observeEstate';
import { ObservedAccount, ObservedRegion } from '../../estate/observed';
import { planRegion, PlanAction } from '../../estate/plan';
import { payerSession } from '../../engine/stepContext';
import { FoundDrift } from '../FindingStore';
import { checkPolicies } from './policyCheck';
import { CheckContext, CheckHandler, environmentOf } from './types';

type ObservedRegionOu =
  PayerObservation['environments'][number]['regions'][number];

/**
 * Finds desired accounts that are not in their region OU, by email, across the
 * whole organization. Only called when some account is missing from its OU, so
 * that a check with nothing to find lists nothing more.
 */
function organizationLookup(session: OrganizationSession) {
  let all: Promise<Account[]> | undefined;
  return async (email: string): Promise<ObservedAccount | undefined> => {
    all ??= listAccounts(session);
    const account = (await all).find(
      a => a.Email?.toLowerCase() === email.toLowerCase(),
    );
    return account?.Id ? observeAccount(session, account) : undefined;
  };
}

/** A desired region as the payer observation has it, in the shape the planner reads. */
async function observedRegion(
  desired: DesiredRegion,
  observation: PayerObservation,
  lookup: ReturnType<typeof organizationLookup>,
): Promise<ObservedRegion> {
  const [, envName, regionName] = desired.ouPath;
  const environment = observation.environments.find(e => e.name === envName);
  const region = environment?.regions.find(r => r.name === regionName);
  const accounts: Record<string, ObservedAccount> = {};
  for (const want of desired.accounts) {
    const found = region?.accounts.find(
      a => a.email.toLowerCase() === want.email.toLowerCase(),
    );
    const account = found
      ? { ...found, parentId: region!.id }
      : await lookup(want.email);
    if (account) accounts[want.name] = account;
  }
  return {
    rootId: observation.rootId,
    ouPath: [
      { name: desired.ouPath[0], id: observation.platformOuId },
      { name: envName, id: environment?.id },
      { name: regionName, id: region?.id },
    ],
    accounts,
    inFlight: {},
  };
}

/** What a planned action means as drift, or nothing for actions that are not differences. */
function driftOf(
  action: PlanAction,
  desired: DesiredRegion,
  observed: ObservedRegion,
):
  | Omit<FoundDrift, 'pipeline' | 'payer' | 'environment' | 'region'>
  | undefined {
  const account = desired.accounts.find(a => a.name === action.target);
  const actual = account && observed.accounts[account.name];
  switch (action.action) {
    case 'create-ou':
      return {
        layer: 'account-missing',
        subject: `ou:${action.target}`,
        summary: action.reason,
        repairable: true,
      };
    case 'create-account':
      return {
        layer: 'account-missing',
        account: action.target,
        subject: 'account',
        summary: `account ${action.target} does not exist: ${action.reason}`,
        repairable: true,
      };
    case 'move-account':
      return actual
        ? {
            layer: 'ou-placement',
            account: action.target,
            accountId: actual.id,
            subject: 'parent',
            summary: `account ${action.target} sits in ${actual.parentId}, not in ${action.to}`,
            diff: { expected: action.to, actual: actual.parentId },
            repairable: true,
          }
        : undefined;
    case 'tag-account':
    case 'untag-account':
      return {
        layer: 'tags',
        account: action.target,
        accountId: actual?.id,
        subject: 'tags',
        summary: `account ${action.target}: ${action.reason}`,
        diff: {
          expected: account?.tags,
          actual: actual?.tags,
        },
        repairable: true,
      };
    default:
      return undefined;
  }
}

/** Accounts in a managed environment's region OUs that no desired region has. */
function strayAccounts(
  ctx: CheckContext,
  observation: PayerObservation,
): FoundDrift[] {
  const managedEnvironments = new Set(
    ctx.config.environments
      .filter(e => e.payer === ctx.payer.name)
      .map(e => e.name),
  );
  const desiredEmails = new Map(
    ctx.regions.map(r => [
      r.name,
      new Set(r.accounts.map(a => a.email.toLowerCase())),
    ]),
  );
  const stray = (
    env: string,
    region: ObservedRegionOu,
    account: EstateAccountObservation,
  ): FoundDrift => ({
    pipeline: 'mint',
    layer: 'stray-account',
    payer: ctx.payer.name,
    environment: environmentOf(ctx.regions, region.name, env),
    region: region.name,
    account: account.name,
    accountId: account.id,
    subject: account.id,
    summary: `account ${account.name} (${account.id}) sits in region OU ${region.name} but belongs to no desired region; move it out or add it to the region`,
    repairable: false,
  });
  return observation.environments
    .filter(env => managedEnvironments.has(env.name))
    .flatMap(env =>
      env.regions.flatMap(region =>
        region.accounts
          .filter(
            a =>
              !desiredEmails.get(region.name)?.has(a.email.toLowerCase()) &&
              !ctx.retiring.get(region.name)?.has(a.email.toLowerCase()),
          )
          .map(a => stray(env.name, region, a)),
      ),
    );
}

/**
 * The mint layers of a payer: every desired region's OU path, its accounts, their
 * placement and managed tags, accounts that should not be in a region OU, and the
 * declared service control policies (layer policy).
 * It reads the platform OU tree once, as the estate view does.
 */
export const checkMint: CheckHandler = async ctx => {
  // A drift check reads AWS itself, and has the runs' shared copy read again after it.
  const session = await payerSession(ctx, { fresh: true });
  const observation = await observePayer(session, ctx.config.platformOu);
  const lookup = organizationLookup(session);
  const managed = managedTagKeys(ctx.config);
  const found: FoundDrift[] = [];
  for (const desired of ctx.regions) {
    const observed = await observedRegion(desired, observation, lookup);
    for (const action of planRegion(desired, observed, managed).actions) {
      const drift = driftOf(action, desired, observed);
      if (drift) {
        found.push({
          ...drift,
          pipeline: 'mint',
          payer: ctx.payer.name,
          environment: desired.environment,
          region: desired.name,
        });
      }
    }
  }
  found.push(...strayAccounts(ctx, observation));
  found.push(...(await checkPolicies(ctx, session)));
  await ctx.record(found);
  return {
    regions: ctx.regions.length,
    accounts: ctx.regions.reduce((n, r) => n + r.accounts.length, 0),
    findings: found.length,
  };
};
