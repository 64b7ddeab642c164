import { CallContext } from '../types';
import { OrganizationRecord } from '../../state/model';
import { orgErrors } from './errors';

/** The caller's organization, whatever its role in it. */
export function callerOrganization(ctx: CallContext): OrganizationRecord {
  const account = ctx.sandbox.state.accounts.get(ctx.caller.accountId);
  const organization = account?.organizationId
    ? ctx.sandbox.state.organizations.get(account.organizationId)
    : undefined;
  if (!organization) throw orgErrors.notInUse();
  return organization;
}

/** The organization the caller manages: only its management account may read or change it. */
export function managedOrganization(ctx: CallContext): OrganizationRecord {
  const organization = callerOrganization(ctx);
  if (organization.managementAccountId !== ctx.caller.accountId) {
    throw orgErrors.accessDenied();
  }
  return organization;
}
