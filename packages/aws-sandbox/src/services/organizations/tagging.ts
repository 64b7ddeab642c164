import { z } from 'zod';
import { Tags } from '../../state/model';
import { operation, CallContext } from '../types';
import { managedOrganization } from './access';
import { orgErrors } from './errors';
import { listPage } from './listing';
import { isAwsManaged, policyById } from './policyStore';
import { inputs } from './inputs';
import { shapes } from './shapes';

const MAX_TAGS = 50;

/** Applies tags, refusing to go past the 50 a resource may carry. */
export function applyTags(
  target: Tags,
  tags: { Key: string; Value: string }[] = [],
): void {
  const merged = { ...target };
  tags.forEach(t => (merged[t.Key] = t.Value));
  if (Object.keys(merged).length > MAX_TAGS) {
    throw orgErrors.constraint(
      'MAX_TAG_LIMIT_EXCEEDED',
      `You have exceeded the maximum number of tags (${MAX_TAGS}) allowed on this resource.`,
    );
  }
  Object.assign(target, merged);
}

/** The tags of an account, root, OU or policy of the caller's organization. */
function taggedResource(
  ctx: CallContext,
  resourceId: string,
  forChange: boolean,
): Tags {
  const organization = managedOrganization(ctx);
  if (resourceId.startsWith('p-')) {
    const policy = policyById(organization, resourceId);
    if (!policy) throw orgErrors.targetNotFound(resourceId);
    // FullAWSAccess belongs to AWS: its (empty) tags are not the caller's to change.
    if (forChange && isAwsManaged(policy)) {
      throw orgErrors.immutablePolicy(resourceId);
    }
    return policy.tags;
  }
  const { accounts, containers } = ctx.sandbox.state;
  const resource = accounts.get(resourceId) ?? containers.get(resourceId);
  if (!resource || resource.organizationId !== organization.id) {
    throw orgErrors.named(
      'TargetNotFoundException',
      `We can't find a root, OU, account, or policy with the TargetId ${resourceId}.`,
    );
  }
  return resource.tags;
}

export const taggingOperations = {
  TagResource: operation({
    mutating: true,
    input: z.object({
      ResourceId: inputs.resourceId,
      Tags: z.array(inputs.tag).max(50),
    }),
    handle(ctx, input) {
      applyTags(taggedResource(ctx, input.ResourceId, true), input.Tags);
      return {};
    },
  }),
  UntagResource: operation({
    mutating: true,
    input: z.object({
      ResourceId: inputs.resourceId,
      TagKeys: z.array(z.string().min(1).max(128)),
    }),
    handle(ctx, input) {
      const tags = taggedResource(ctx, input.ResourceId, true);
      input.TagKeys.forEach(key => delete tags[key]);
      return {};
    },
  }),
  ListTagsForResource: operation({
    mutating: false,
    input: z.object({
      ResourceId: inputs.resourceId,
      NextToken: inputs.nextToken,
    }),
    handle(ctx, input) {
      const tags = shapes.tags(taggedResource(ctx, input.ResourceId, false));
      const result = listPage(tags, `tags/${input.ResourceId}`, input);
      return { Tags: result.items, NextToken: result.nextToken };
    },
  }),
};
