import { z } from 'zod';
import { operation } from '../types';
import { callerAccount, getRole } from './entities';
import { listPage } from './listing';
import { shapes } from './shapes';
import { withoutTags, withTags } from './tags';
import { inputs, pagingInput } from './validation';

/** Tagging roles and listing their tags. */
export const roleTagOperations = {
  TagRole: operation({
    mutating: true,
    input: z.object({ RoleName: inputs.roleName, Tags: inputs.tags }),
    handle(ctx, input) {
      const role = getRole(callerAccount(ctx), input.RoleName);
      role.tags = withTags(role.tags, input.Tags);
      return undefined;
    },
  }),

  UntagRole: operation({
    mutating: true,
    input: z.object({ RoleName: inputs.roleName, TagKeys: inputs.tagKeys }),
    handle(ctx, input) {
      const role = getRole(callerAccount(ctx), input.RoleName);
      role.tags = withoutTags(role.tags, input.TagKeys);
      return undefined;
    },
  }),

  ListRoleTags: operation({
    mutating: false,
    input: z.object({ RoleName: inputs.roleName, ...pagingInput }),
    handle(ctx, input) {
      const role = getRole(callerAccount(ctx), input.RoleName);
      return listPage(
        'Tags',
        shapes.tags(role.tags),
        `role-tags/${role.id}`,
        input,
      );
    },
  }),
};
