import { z } from 'zod';
import { OrganizationRecord } from '../../state/model';
import { accountArn } from '../../state/records';
import { CallContext, operation } from '../types';
import { managedOrganization } from './access';
import { orgErrors } from './errors';
import { inputs } from './inputs';
import { listPage } from './listing';
import { existingPolicy } from './policies';
import { maxAttachments, needsOneAttachment } from './policyRules';
import {
  attachedPolicies,
  attachPolicy,
  detachPolicy,
  isPolicyTypeEnabled,
  policyTargetIds,
} from './policyStore';
import { shapes } from './shapes';

type TargetType = 'ROOT' | 'ORGANIZATIONAL_UNIT' | 'ACCOUNT';

/** A root, OU or account of the organization, as ListTargetsForPolicy describes it. */
function policyTarget(
  ctx: CallContext,
  organization: OrganizationRecord,
  targetId: string,
): { TargetId: string; Arn: string; Name: string; Type: TargetType } {
  const { accounts, containers } = ctx.sandbox.state;
  const container = containers.get(targetId);
  if (container && container.organizationId === organization.id) {
    return {
      TargetId: container.id,
      Arn: container.arn,
      Name: container.name,
      Type: container.type,
    };
  }
  const account = accounts.get(targetId);
  if (account && account.organizationId === organization.id) {
    return {
      TargetId: account.id,
      Arn: accountArn(organization, account.id),
      Name: account.name,
      Type: 'ACCOUNT',
    };
  }
  throw orgErrors.targetNotFound(targetId);
}

const attachmentInput = z.object({
  PolicyId: inputs.policyId,
  TargetId: inputs.targetId,
});

export const policyAttachmentOperations = {
  AttachPolicy: operation({
    mutating: true,
    input: attachmentInput,
    handle(ctx, input) {
      const organization = managedOrganization(ctx);
      const policy = existingPolicy(organization, input.PolicyId);
      const target = policyTarget(ctx, organization, input.TargetId);
      if (!isPolicyTypeEnabled(organization, policy.type)) {
        throw orgErrors.policyTypeNotEnabled(policy.type);
      }
      const attached = attachedPolicies(
        organization,
        target.TargetId,
        policy.type,
      );
      if (attached.some(p => p.id === policy.id)) {
        throw orgErrors.named(
          'DuplicatePolicyAttachmentException',
          'The selected policy is already attached to the specified target.',
        );
      }
      const limit = maxAttachments(policy.type);
      if (attached.length >= limit) {
        throw orgErrors.constraint(
          'MAX_POLICY_TYPE_ATTACHMENT_LIMIT_EXCEEDED',
          `You attempted to exceed the number of policies of type ${policy.type} (${limit}) that can be attached to an entity at one time.`,
        );
      }
      attachPolicy(organization, policy.id, target.TargetId);
      return {};
    },
  }),
  DetachPolicy: operation({
    mutating: true,
    input: attachmentInput,
    handle(ctx, input) {
      const organization = managedOrganization(ctx);
      const policy = existingPolicy(organization, input.PolicyId);
      const target = policyTarget(ctx, organization, input.TargetId);
      const attached = attachedPolicies(
        organization,
        target.TargetId,
        policy.type,
      );
      if (!attached.some(p => p.id === policy.id)) {
        throw orgErrors.named(
          'PolicyNotAttachedException',
          "The policy isn't attached to the specified target in the specified root.",
        );
      }
      if (needsOneAttachment(policy.type) && attached.length === 1) {
        throw orgErrors.constraint(
          'MIN_POLICY_TYPE_ATTACHMENT_LIMIT_EXCEEDED',
          `You attempted to detach the last policy of type ${policy.type} from ${target.TargetId}; every root, OU and account must have at least one. Attach a replacement first.`,
        );
      }
      detachPolicy(organization, policy.id, target.TargetId);
      return {};
    },
  }),
  ListPoliciesForTarget: operation({
    mutating: false,
    input: z.object({
      TargetId: inputs.targetId,
      Filter: inputs.policyType,
      NextToken: inputs.nextToken,
      MaxResults: inputs.maxResults,
    }),
    handle(ctx, input) {
      const organization = managedOrganization(ctx);
      const target = policyTarget(ctx, organization, input.TargetId);
      const policies = attachedPolicies(
        organization,
        target.TargetId,
        input.Filter,
      ).map(shapes.policySummary);
      const result = listPage(
        policies,
        `policies-for-target/${target.TargetId}/${input.Filter}`,
        input,
      );
      return { Policies: result.items, NextToken: result.nextToken };
    },
  }),
  ListTargetsForPolicy: operation({
    mutating: false,
    input: z.object({
      PolicyId: inputs.policyId,
      NextToken: inputs.nextToken,
      MaxResults: inputs.maxResults,
    }),
    handle(ctx, input) {
      const organization = managedOrganization(ctx);
      const policy = existingPolicy(organization, input.PolicyId);
      const targets = policyTargetIds(organization, policy.id).map(id =>
        policyTarget(ctx, organization, id),
      );
      const result = listPage(targets, `targets/${policy.id}`, input);
      return { Targets: result.items, NextToken: result.nextToken };
    },
  }),
};
