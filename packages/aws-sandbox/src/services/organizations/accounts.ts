import { z } from 'zod';
import { AccountRecord, OrganizationRecord } from '../../state/model';
import { CallContext, operation } from '../types';
import { managedOrganization } from './access';
import { takeClosureQuota } from './closure';
import { orgErrors } from './errors';
import { listPage } from './listing';
import { inputs } from './inputs';
import { shapes } from './shapes';

function memberAccount(
  ctx: CallContext,
  organization: OrganizationRecord,
  accountId: string,
) {
  const account = ctx.sandbox.state.accounts.get(accountId);
  if (!account || account.organizationId !== organization.id) {
    throw orgErrors.named(
      'AccountNotFoundException',
      `We can't find an AWS account with the AccountId ${accountId}.`,
    );
  }
  return account;
}

function containerOf(
  ctx: CallContext,
  organization: OrganizationRecord,
  id: string,
  code: string,
) {
  const container = ctx.sandbox.state.containers.get(id);
  if (!container || container.organizationId !== organization.id) {
    throw orgErrors.named(
      code,
      `We can't find a root or OU with the ParentId ${id}.`,
    );
  }
  return container;
}

const listInput = {
  NextToken: inputs.nextToken,
  MaxResults: inputs.maxResults,
};

export const accountOperations = {
  DescribeAccount: operation({
    mutating: false,
    input: z.object({ AccountId: inputs.accountId }),
    handle(ctx, input) {
      const organization = managedOrganization(ctx);
      return {
        Account: shapes.account(
          memberAccount(ctx, organization, input.AccountId),
          organization,
        ),
      };
    },
  }),
  ListAccounts: operation({
    mutating: false,
    input: z.object(listInput),
    handle(ctx, input) {
      const organization = managedOrganization(ctx);
      const result = listPage(
        ctx.sandbox.state.accountsIn(organization.id),
        'accounts',
        input,
      );
      return {
        Accounts: result.items.map(a => shapes.account(a, organization)),
        NextToken: result.nextToken,
      };
    },
  }),
  ListAccountsForParent: operation({
    mutating: false,
    input: z.object({ ParentId: inputs.parentId, ...listInput }),
    handle(ctx, input) {
      const organization = managedOrganization(ctx);
      const parent = containerOf(
        ctx,
        organization,
        input.ParentId,
        'ParentNotFoundException',
      );
      const { accounts } = ctx.sandbox.state;
      const children = ctx.sandbox.state
        .childIds(parent.id)
        .map(id => accounts.get(id))
        .filter((a): a is AccountRecord => a !== undefined);
      const result = listPage(children, `accounts/${parent.id}`, input);
      return {
        Accounts: result.items.map(a => shapes.account(a, organization)),
        NextToken: result.nextToken,
      };
    },
  }),
  MoveAccount: operation({
    mutating: true,
    input: z.object({
      AccountId: inputs.accountId,
      SourceParentId: inputs.parentId,
      DestinationParentId: inputs.parentId,
    }),
    handle(ctx, input) {
      const organization = managedOrganization(ctx);
      const account = memberAccount(ctx, organization, input.AccountId);
      containerOf(
        ctx,
        organization,
        input.SourceParentId,
        'SourceParentNotFoundException',
      );
      const destination = containerOf(
        ctx,
        organization,
        input.DestinationParentId,
        'DestinationParentNotFoundException',
      );
      if (account.parentId === destination.id) {
        throw orgErrors.named(
          'DuplicateAccountException',
          'That account is already present in the specified destination.',
        );
      }
      if (account.parentId !== input.SourceParentId) {
        throw orgErrors.named(
          'SourceParentNotFoundException',
          `The account ${account.id} is not in the source parent ${input.SourceParentId}.`,
        );
      }
      ctx.sandbox.state.moveAccount(account, destination.id);
      return {};
    },
  }),
  CloseAccount: operation({
    mutating: true,
    input: z.object({ AccountId: inputs.accountId }),
    handle(ctx, input) {
      const organization = managedOrganization(ctx);
      const account = memberAccount(ctx, organization, input.AccountId);
      if (account.id === organization.managementAccountId) {
        throw orgErrors.constraint(
          'CANNOT_CLOSE_MANAGEMENT_ACCOUNT',
          'You attempted to close the management account.',
        );
      }
      if (account.status !== 'ACTIVE') {
        throw orgErrors.named(
          'AccountAlreadyClosedException',
          'You attempted to close an account that is already closed.',
        );
      }
      takeClosureQuota(ctx.sandbox, organization, ctx.now);
      ctx.sandbox.state.startClosure(
        account,
        ctx.now + ctx.sandbox.profile.accountClosureMs,
      );
      ctx.sandbox.settle();
      return {};
    },
  }),
};
