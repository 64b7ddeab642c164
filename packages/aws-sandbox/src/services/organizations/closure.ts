import { AccountRecord, OrganizationRecord } from '../../state/model';
import { SandboxState } from '../../state/SandboxState';
import { SandboxWorld } from '../types';
import { orgErrors } from './errors';
import { detachAllFrom } from './policyStore';

/**
 * How many accounts an organization may have PENDING_CLOSURE at once when its seed does not
 * say. AWS documents the CLOSE_ACCOUNT_REQUESTS_LIMIT_EXCEEDED error but not the number;
 * 3 is the sandbox's choice.
 */
export const DEFAULT_CLOSE_ACCOUNT_CONCURRENCY = 3;

// Closed accounts still count, until AWS removes them from the organization.
const memberAccounts = (
  state: SandboxState,
  organization: OrganizationRecord,
) => state.accountsIn(organization.id).length - 1;

/**
 * Accounts an organization may close per rolling window: AWS allows 10% of the member
 * accounts (closed ones included), at least 10 and at most 1000.
 */
export function closeAccountQuota(
  state: SandboxState,
  organization: OrganizationRecord,
): number {
  return (
    organization.closeAccountQuota ??
    Math.min(
      1000,
      Math.max(10, Math.floor(0.1 * memberAccounts(state, organization))),
    )
  );
}

/**
 * Counts a closure against the organization's quotas, as CloseAccount does before it starts.
 * @throws ConstraintViolationException CLOSE_ACCOUNT_QUOTA_EXCEEDED or CLOSE_ACCOUNT_REQUESTS_LIMIT_EXCEEDED.
 */
export function takeClosureQuota(
  sandbox: SandboxWorld,
  organization: OrganizationRecord,
  now: number,
): void {
  const { state, profile } = sandbox;
  const windowStart = now - profile.closeQuotaWindowMs;
  const recent = (organization.closureTimes ?? []).filter(t => t > windowStart);
  organization.closureTimes = recent;
  if (recent.length >= closeAccountQuota(state, organization)) {
    throw orgErrors.constraint(
      'CLOSE_ACCOUNT_QUOTA_EXCEEDED',
      'You have exceeded close account quota for the past 30 days.',
    );
  }
  const concurrency =
    organization.closeAccountConcurrency ?? DEFAULT_CLOSE_ACCOUNT_CONCURRENCY;
  if (state.accountsClosing(organization.id).length >= concurrency) {
    throw orgErrors.constraint(
      'CLOSE_ACCOUNT_REQUESTS_LIMIT_EXCEEDED',
      'You attempted to exceed the number of accounts that you can close at a time.',
    );
  }
  recent.push(now);
}

/** Takes a closed account out of its organization once AWS would no longer keep it there. */
export function removeClosedAccount(
  state: SandboxState,
  account: AccountRecord,
): void {
  const organization = account.organizationId
    ? state.organizations.get(account.organizationId)
    : undefined;
  if (organization) detachAllFrom(organization, account.id);
  state.leaveOrganization(account);
}
