import { z } from 'zod';
import { ids } from '../../ids';
import {
  OrganizationPolicyRecord,
  OrganizationRecord,
} from '../../state/model';
import { operation } from '../types';
import { managedOrganization } from './access';
import { orgErrors } from './errors';
import { inputs, taggable } from './inputs';
import { listPage } from './listing';
import { checkPolicyContent, MAX_POLICIES_PER_TYPE } from './policyRules';
import {
  addPolicy,
  isAwsManaged,
  organizationPolicies,
  policyArn,
  policyById,
  policyTargetIds,
  removePolicy,
} from './policyStore';
import { shapes } from './shapes';
import { applyTags } from './tagging';

const policyName = z.string().min(1).max(128);
const policyDescription = z.string().max(512);
const policyContent = z.string().min(1).max(1000000);

/** A policy of the organization. @throws PolicyNotFoundException */
export function existingPolicy(
  organization: OrganizationRecord,
  policyId: string,
): OrganizationPolicyRecord {
  const policy = policyById(organization, policyId);
  if (!policy) throw orgErrors.policyNotFound(policyId);
  return policy;
}

/** A policy the caller may change: AWS managed ones are immutable. */
function customerPolicy(
  organization: OrganizationRecord,
  policyId: string,
): OrganizationPolicyRecord {
  const policy = existingPolicy(organization, policyId);
  if (isAwsManaged(policy)) throw orgErrors.immutablePolicy(policyId);
  return policy;
}

function assertUniqueName(
  organization: OrganizationRecord,
  type: string,
  name: string,
) {
  if (
    organizationPolicies(organization).some(
      p => p.type === type && p.name === name,
    )
  ) {
    throw orgErrors.named(
      'DuplicatePolicyException',
      `A policy with the same name already exists: ${name}.`,
    );
  }
}

export const policyOperations = {
  CreatePolicy: operation({
    mutating: true,
    input: z.object({
      Content: policyContent,
      Description: policyDescription,
      Name: policyName,
      Type: inputs.policyType,
      ...taggable,
    }),
    handle(ctx, input) {
      const organization = managedOrganization(ctx);
      const ofType = organizationPolicies(organization).filter(
        p => p.type === input.Type,
      );
      if (ofType.length >= MAX_POLICIES_PER_TYPE) {
        throw orgErrors.constraint(
          'POLICY_NUMBER_LIMIT_EXCEEDED',
          `You attempted to exceed the number of policies (${MAX_POLICIES_PER_TYPE}) of type ${input.Type} that you can have in an organization.`,
        );
      }
      checkPolicyContent(input.Type, input.Content);
      assertUniqueName(organization, input.Type, input.Name);
      let id = ids.organizationPolicy();
      while (policyById(organization, id)) id = ids.organizationPolicy();
      const policy: OrganizationPolicyRecord = {
        id,
        arn: policyArn(organization, input.Type, id),
        name: input.Name,
        description: input.Description,
        type: input.Type,
        content: input.Content,
        tags: {},
      };
      applyTags(policy.tags, input.Tags);
      addPolicy(organization, policy);
      return { Policy: shapes.policy(policy) };
    },
  }),
  DescribePolicy: operation({
    mutating: false,
    input: z.object({ PolicyId: inputs.policyId }),
    handle(ctx, input) {
      const organization = managedOrganization(ctx);
      return {
        Policy: shapes.policy(existingPolicy(organization, input.PolicyId)),
      };
    },
  }),
  UpdatePolicy: operation({
    mutating: true,
    input: z.object({
      PolicyId: inputs.policyId,
      Name: policyName.optional(),
      Description: policyDescription.optional(),
      Content: policyContent.optional(),
    }),
    handle(ctx, input) {
      const organization = managedOrganization(ctx);
      const policy = customerPolicy(organization, input.PolicyId);
      if (input.Content !== undefined) {
        checkPolicyContent(policy.type, input.Content);
      }
      if (input.Name !== undefined && input.Name !== policy.name) {
        assertUniqueName(organization, policy.type, input.Name);
        policy.name = input.Name;
      }
      if (input.Description !== undefined) {
        policy.description = input.Description;
      }
      if (input.Content !== undefined) policy.content = input.Content;
      return { Policy: shapes.policy(policy) };
    },
  }),
  DeletePolicy: operation({
    mutating: true,
    input: z.object({ PolicyId: inputs.policyId }),
    handle(ctx, input) {
      const organization = managedOrganization(ctx);
      const policy = customerPolicy(organization, input.PolicyId);
      if (policyTargetIds(organization, policy.id).length > 0) {
        throw orgErrors.named(
          'PolicyInUseException',
          'The policy is attached to one or more entities. You must detach it from all roots, OUs, and accounts before performing this operation.',
        );
      }
      removePolicy(organization, policy.id);
      return {};
    },
  }),
  ListPolicies: operation({
    mutating: false,
    input: z.object({
      Filter: inputs.policyType,
      NextToken: inputs.nextToken,
      MaxResults: inputs.maxResults,
    }),
    handle(ctx, input) {
      const organization = managedOrganization(ctx);
      const policies = organizationPolicies(organization)
        .filter(p => p.type === input.Filter)
        .map(shapes.policySummary);
      const result = listPage(policies, `policies/${input.Filter}`, input);
      return { Policies: result.items, NextToken: result.nextToken };
    },
  }),
};
