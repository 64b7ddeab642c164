import { z } from 'zod';
import { ContainerRecord, OrganizationRecord } from '../../state/model';
import { newOrganization, newOrganizationalUnit } from '../../state/records';
import { CallContext, operation } from '../types';
import { callerOrganization, managedOrganization } from './access';
import { orgErrors } from './errors';
import { listPage } from './listing';
import { inputs, taggable } from './inputs';
import { shapes } from './shapes';
import { applyTags } from './tagging';
import { attachDefaultPolicies, detachAllFrom } from './policyStore';

// AWS allows OUs five levels deep below the root.
const MAX_OU_DEPTH = 5;

function parentOf(
  ctx: CallContext,
  organization: OrganizationRecord,
  parentId: string,
) {
  const parent = ctx.sandbox.state.containers.get(parentId);
  if (!parent || parent.organizationId !== organization.id) {
    throw orgErrors.named(
      'ParentNotFoundException',
      `We can't find a root or OU with the ParentId ${parentId}.`,
    );
  }
  return parent;
}

/** An OU of the organization the caller manages. */
function managedOu(ctx: CallContext, ouId: string) {
  const organization = managedOrganization(ctx);
  const ou = ctx.sandbox.state.containers.get(ouId);
  if (
    !ou ||
    ou.type !== 'ORGANIZATIONAL_UNIT' ||
    ou.organizationId !== organization.id
  ) {
    throw orgErrors.named(
      'OrganizationalUnitNotFoundException',
      `We can't find an OU with the OrganizationalUnitId ${ouId}.`,
    );
  }
  return ou;
}

function depthOf(ctx: CallContext, container: ContainerRecord): number {
  let depth = 0;
  let current: ContainerRecord | undefined = container;
  while (current?.parentId) {
    depth += 1;
    current = ctx.sandbox.state.containers.get(current.parentId);
  }
  return depth;
}

function childOus(ctx: CallContext, parentId: string): ContainerRecord[] {
  const { containers } = ctx.sandbox.state;
  return ctx.sandbox.state
    .childIds(parentId)
    .map(id => containers.get(id))
    .filter((c): c is ContainerRecord => c !== undefined);
}

function assertUniqueName(ctx: CallContext, parentId: string, name: string) {
  if (childOus(ctx, parentId).some(ou => ou.name === name)) {
    throw orgErrors.named(
      'DuplicateOrganizationalUnitException',
      'An OU with the same name already exists.',
    );
  }
}

export const structureOperations = {
  CreateOrganization: operation({
    mutating: true,
    input: z.object({
      FeatureSet: z.enum(['ALL', 'CONSOLIDATED_BILLING']).optional(),
    }),
    handle(ctx, input) {
      const { state } = ctx.sandbox;
      const account = state.accounts.get(ctx.caller.accountId)!;
      if (account.organizationId) {
        throw orgErrors.named(
          'AlreadyInOrganizationException',
          'This account is already a member of an organization.',
        );
      }
      const { organization, root } = newOrganization(account, {
        featureSet: input.FeatureSet ?? 'ALL',
        accountQuota: 10,
      });
      state.organizations.set(organization.id, organization);
      state.addContainer(root);
      account.organizationId = organization.id;
      state.moveAccount(account, root.id);
      return { Organization: shapes.organization(organization, account.email) };
    },
  }),
  DescribeOrganization: operation({
    mutating: false,
    input: z.object({}),
    handle(ctx) {
      const organization = callerOrganization(ctx);
      const management = ctx.sandbox.state.accounts.get(
        organization.managementAccountId,
      )!;
      return {
        Organization: shapes.organization(organization, management.email),
      };
    },
  }),
  ListRoots: operation({
    mutating: false,
    input: z.object({
      NextToken: inputs.nextToken,
      MaxResults: inputs.maxResults,
    }),
    handle(ctx, input) {
      const organization = managedOrganization(ctx);
      const root = ctx.sandbox.state.containers.get(organization.rootId)!;
      const result = listPage(
        [shapes.root(root, organization)],
        'roots',
        input,
      );
      return { Roots: result.items, NextToken: result.nextToken };
    },
  }),
  CreateOrganizationalUnit: operation({
    mutating: true,
    input: z.object({
      ParentId: inputs.parentId,
      Name: inputs.ouName,
      ...taggable,
    }),
    handle(ctx, input) {
      const organization = managedOrganization(ctx);
      const parent = parentOf(ctx, organization, input.ParentId);
      if (depthOf(ctx, parent) >= MAX_OU_DEPTH) {
        throw orgErrors.constraint(
          'OU_DEPTH_LIMIT_EXCEEDED',
          'You attempted to create an OU tree that is too many levels deep.',
        );
      }
      assertUniqueName(ctx, parent.id, input.Name);
      const ou = newOrganizationalUnit(organization, parent.id, input.Name);
      applyTags(ou.tags, input.Tags);
      ctx.sandbox.state.addContainer(ou);
      attachDefaultPolicies(organization, ou.id);
      return { OrganizationalUnit: shapes.organizationalUnit(ou) };
    },
  }),
  DescribeOrganizationalUnit: operation({
    mutating: false,
    input: z.object({ OrganizationalUnitId: inputs.ouId }),
    handle(ctx, input) {
      const ou = managedOu(ctx, input.OrganizationalUnitId);
      return { OrganizationalUnit: shapes.organizationalUnit(ou) };
    },
  }),
  UpdateOrganizationalUnit: operation({
    mutating: true,
    input: z.object({
      OrganizationalUnitId: inputs.ouId,
      Name: inputs.ouName.optional(),
    }),
    handle(ctx, input) {
      const ou = managedOu(ctx, input.OrganizationalUnitId);
      if (input.Name !== undefined && input.Name !== ou.name) {
        assertUniqueName(ctx, ou.parentId!, input.Name);
        ou.name = input.Name;
      }
      return { OrganizationalUnit: shapes.organizationalUnit(ou) };
    },
  }),
  DeleteOrganizationalUnit: operation({
    mutating: true,
    input: z.object({ OrganizationalUnitId: inputs.ouId }),
    handle(ctx, input) {
      const ou = managedOu(ctx, input.OrganizationalUnitId);
      if (ctx.sandbox.state.childIds(ou.id).length > 0) {
        throw orgErrors.named(
          'OrganizationalUnitNotEmptyException',
          'The specified OU is not empty. Move all accounts to another root or OU, and delete all child OUs.',
        );
      }
      ctx.sandbox.state.removeContainer(ou.id);
      detachAllFrom(managedOrganization(ctx), ou.id);
      return {};
    },
  }),
  ListOrganizationalUnitsForParent: operation({
    mutating: false,
    input: z.object({
      ParentId: inputs.parentId,
      NextToken: inputs.nextToken,
      MaxResults: inputs.maxResults,
    }),
    handle(ctx, input) {
      const parent = parentOf(ctx, managedOrganization(ctx), input.ParentId);
      const ous = childOus(ctx, parent.id).map(shapes.organizationalUnit);
      const result = listPage(ous, `ous/${parent.id}`, input);
      return { OrganizationalUnits: result.items, NextToken: result.nextToken };
    },
  }),
  ListChildren: operation({
    mutating: false,
    input: z.object({
      ParentId: inputs.parentId,
      ChildType: z.enum(['ACCOUNT', 'ORGANIZATIONAL_UNIT']),
      NextToken: inputs.nextToken,
      MaxResults: inputs.maxResults,
    }),
    handle(ctx, input) {
      const parent = parentOf(ctx, managedOrganization(ctx), input.ParentId);
      const { containers } = ctx.sandbox.state;
      const children = ctx.sandbox.state
        .childIds(parent.id)
        .filter(id => (input.ChildType === 'ACCOUNT') !== containers.has(id))
        .map(id => ({ Id: id, Type: input.ChildType }));
      const result = listPage(
        children,
        `children/${parent.id}/${input.ChildType}`,
        input,
      );
      return { Children: result.items, NextToken: result.nextToken };
    },
  }),
  ListParents: operation({
    mutating: false,
    input: z.object({
      ChildId: inputs.childId,
      NextToken: inputs.nextToken,
      MaxResults: inputs.maxResults,
    }),
    handle(ctx, input) {
      const organization = managedOrganization(ctx);
      const { accounts, containers } = ctx.sandbox.state;
      const child =
        accounts.get(input.ChildId) ?? containers.get(input.ChildId);
      if (
        !child ||
        child.organizationId !== organization.id ||
        !child.parentId
      ) {
        throw orgErrors.named(
          'ChildNotFoundException',
          `We can't find an organizational unit (OU) or AWS account with the ChildId ${input.ChildId}.`,
        );
      }
      const parent = containers.get(child.parentId)!;
      const parents = [{ Id: parent.id, Type: parent.type }];
      const result = listPage(parents, `parents/${child.parentId}`, input);
      return { Parents: result.items, NextToken: result.nextToken };
    },
  }),
};
