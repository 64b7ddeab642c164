import { z } from 'zod';
import { ids } from '../../ids';
import { CreateAccountRequestRecord } from '../../state/model';
import { addOrganizationAccessRole, newAccount } from '../../state/records';
import { operation, SandboxWorld } from '../types';
import { managedOrganization } from './access';
import { orgErrors } from './errors';
import { listPage } from './listing';
import { inputs, taggable } from './inputs';
import { shapes } from './shapes';
import { applyTags } from './tagging';
import { attachDefaultPolicies } from './policyStore';

// AWS lets about five account creations run at once in an organization.
const MAX_CREATIONS_IN_PROGRESS = 5;

/**
 * Completes a creation whose time has come: SUCCEEDED with a new account in the
 * root, or FAILED for the reasons AWS finds only once the request runs.
 */
export function finishAccountCreation(
  sandbox: Pick<SandboxWorld, 'state' | 'profile'>,
  request: CreateAccountRequestRecord,
): void {
  const { state, profile } = sandbox;
  const organization = state.organizations.get(request.organizationId)!;
  request.completedAt = request.completesAt;
  const members = state.accountsIn(organization.id).length;
  if (state.accountByEmail(request.email)) {
    request.state = 'FAILED';
    request.failureReason = 'EMAIL_ALREADY_EXISTS';
    return;
  }
  if (members >= organization.accountQuota) {
    request.state = 'FAILED';
    request.failureReason = 'ACCOUNT_LIMIT_EXCEEDED';
    return;
  }
  const account = newAccount({
    id: state.newAccountId(),
    name: request.accountName,
    email: request.email,
    joinedMethod: 'CREATED',
    now: request.completesAt,
    assumableAt: request.completesAt + profile.accountReadinessMs,
    tags: request.tags,
  });
  account.organizationId = organization.id;
  addOrganizationAccessRole(
    account,
    request.roleName,
    organization.managementAccountId,
    request.completesAt,
  );
  state.addAccount(account);
  state.moveAccount(account, organization.rootId);
  attachDefaultPolicies(organization, account.id);
  request.state = 'SUCCEEDED';
  request.accountId = account.id;
}

export const accountCreationOperations = {
  CreateAccount: operation({
    mutating: true,
    input: z.object({
      Email: z
        .string()
        .min(6)
        .max(64)
        .regex(/^[^\s@]+@[^\s@]+\.[^\s@]+$/, 'must be an email address'),
      AccountName: z
        .string()
        .min(1)
        .max(50)
        .regex(/^[\u0020-\u007E]+$/, 'must be printable ASCII'),
      RoleName: z
        .string()
        .max(64)
        .regex(/^[\w+=,.@-]{1,64}$/, 'must be an IAM role name')
        .optional(),
      IamUserAccessToBilling: z.enum(['ALLOW', 'DENY']).optional(),
      ...taggable,
    }),
    handle(ctx, input) {
      const organization = managedOrganization(ctx);
      const { state, profile } = ctx.sandbox;
      if (
        state.creationsInProgress(organization.id).length >=
        MAX_CREATIONS_IN_PROGRESS
      ) {
        throw orgErrors.constraint(
          'ACCOUNT_CREATION_RATE_LIMIT_EXCEEDED',
          'You attempted to exceed the number of accounts that you can create at one time.',
        );
      }
      const tags = {};
      applyTags(tags, input.Tags);
      const request: CreateAccountRequestRecord = {
        id: ids.createAccountRequest(),
        organizationId: organization.id,
        accountName: input.AccountName,
        email: input.Email,
        roleName: input.RoleName ?? 'OrganizationAccountAccessRole',
        tags,
        requestedAt: ctx.now,
        completesAt: ctx.now + profile.accountCreationMs,
        state: 'IN_PROGRESS',
      };
      state.addCreateAccountRequest(request);
      // An instant profile finishes at once, as the next call would see it.
      ctx.sandbox.settle();
      return { CreateAccountStatus: shapes.createAccountStatus(request) };
    },
  }),
  DescribeCreateAccountStatus: operation({
    mutating: false,
    input: z.object({
      CreateAccountRequestId: z
        .string()
        .regex(/^car-[a-z0-9]{8,32}$/, 'must be a create account request id'),
    }),
    handle(ctx, input) {
      const organization = managedOrganization(ctx);
      const request = ctx.sandbox.state.createAccountRequests.get(
        input.CreateAccountRequestId,
      );
      if (!request || request.organizationId !== organization.id) {
        throw orgErrors.named(
          'CreateAccountStatusNotFoundException',
          `We can't find a create account request with the ID ${input.CreateAccountRequestId}.`,
        );
      }
      return { CreateAccountStatus: shapes.createAccountStatus(request) };
    },
  }),
  ListCreateAccountStatus: operation({
    mutating: false,
    input: z.object({
      States: z
        .array(z.enum(['IN_PROGRESS', 'SUCCEEDED', 'FAILED']))
        .optional(),
      NextToken: inputs.nextToken,
      MaxResults: inputs.maxResults,
    }),
    handle(ctx, input) {
      const organization = managedOrganization(ctx);
      const statuses = [...ctx.sandbox.state.createAccountRequests.values()]
        .filter(r => r.organizationId === organization.id)
        .filter(r => !input.States || input.States.includes(r.state))
        .map(shapes.createAccountStatus);
      const listKey = `create-account-status/${(input.States ?? []).join(',')}`;
      const result = listPage(statuses, listKey, input);
      return {
        CreateAccountStatuses: result.items,
        NextToken: result.nextToken,
      };
    },
  }),
};
