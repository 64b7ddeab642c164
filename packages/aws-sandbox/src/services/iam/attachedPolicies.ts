import { z } from 'zod';
import { operation } from '../types';
import { callerAccount, getRole } from './entities';
import { iamErrors } from './errors';
import { listPage } from './listing';
import {
  attachablePolicy,
  describeAttachedArn,
  parsePolicyArn,
} from './managedPolicies';
import { checkRoomForManagedPolicy } from './quotas';
import { shapes } from './shapes';
import { inputs, pagingInput } from './validation';

/** Attaching managed policies to roles, detaching them, and listing them. */
export const attachedPolicyOperations = {
  AttachRolePolicy: operation({
    mutating: true,
    input: z.object({ RoleName: inputs.roleName, PolicyArn: inputs.arn }),
    handle(ctx, input) {
      const account = callerAccount(ctx);
      const role = getRole(account, input.RoleName);
      attachablePolicy(account, input.PolicyArn, iamErrors.notAttachable);
      // Attaching a policy the role already has changes nothing, as in IAM.
      if (role.attachedPolicyArns.includes(input.PolicyArn)) return undefined;
      checkRoomForManagedPolicy(role);
      role.attachedPolicyArns.push(input.PolicyArn);
      return undefined;
    },
  }),

  DetachRolePolicy: operation({
    mutating: true,
    input: z.object({ RoleName: inputs.roleName, PolicyArn: inputs.arn }),
    handle(ctx, input) {
      const role = getRole(callerAccount(ctx), input.RoleName);
      if (!role.attachedPolicyArns.includes(input.PolicyArn)) {
        // A malformed ARN is InvalidInput; a well-formed one the role lacks, NoSuchEntity.
        parsePolicyArn(input.PolicyArn);
        throw iamErrors.noSuchPolicy(input.PolicyArn);
      }
      role.attachedPolicyArns = role.attachedPolicyArns.filter(
        arn => arn !== input.PolicyArn,
      );
      return undefined;
    },
  }),

  ListAttachedRolePolicies: operation({
    mutating: false,
    input: z.object({
      RoleName: inputs.roleName,
      PathPrefix: inputs.pathPrefix.optional(),
      ...pagingInput,
    }),
    handle(ctx, input) {
      const role = getRole(callerAccount(ctx), input.RoleName);
      const prefix = input.PathPrefix ?? '/';
      const attached = role.attachedPolicyArns
        .map(describeAttachedArn)
        .filter(arn => arn.path.startsWith(prefix))
        .map(shapes.attachedPolicy);
      // The prefix is part of the list's key: a Marker holds an offset into this filtered list.
      return listPage(
        'AttachedPolicies',
        attached,
        `attached/${role.id}${prefix}`,
        input,
      );
    },
  }),
};
