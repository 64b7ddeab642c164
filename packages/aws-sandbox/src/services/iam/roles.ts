import { z } from 'zod';
import { newRole } from '../../state/records';
import { operation } from '../types';
import { checkPolicyDocument } from './documents';
import { callerAccount, findByName, getRole, setOwn } from './entities';
import { iamErrors } from './errors';
import { attachablePolicy } from './managedPolicies';
import { checkTrustPolicySize } from './quotas';
import { shapes } from './shapes';
import { withTags } from './tags';
import { inputs } from './validation';

/** @throws MalformedPolicyDocument or LimitExceeded for a trust policy IAM would refuse. */
function checkTrustPolicy(document: string): void {
  checkPolicyDocument(document, 'trust');
  checkTrustPolicySize(document);
}

/** Creating, reading and deleting roles, and changing who may assume them. */
export const roleOperations = {
  CreateRole: operation({
    mutating: true,
    input: z.object({
      RoleName: inputs.roleName,
      Path: inputs.rolePath.optional(),
      AssumeRolePolicyDocument: inputs.policyDocument,
      Description: inputs.description.optional(),
      MaxSessionDuration: inputs.maxSessionDuration.optional(),
      PermissionsBoundary: inputs.arn.optional(),
      Tags: inputs.tags.optional(),
    }),
    handle(ctx, input) {
      const account = callerAccount(ctx);
      checkTrustPolicy(input.AssumeRolePolicyDocument);
      if (findByName(Object.values(account.roles), input.RoleName)) {
        throw iamErrors.entityAlreadyExists(
          `Role with name ${input.RoleName} already exists.`,
        );
      }
      if (input.PermissionsBoundary) {
        attachablePolicy(
          account,
          input.PermissionsBoundary,
          iamErrors.noSuchBoundary,
        );
      }
      const role = newRole({
        accountId: account.id,
        name: input.RoleName,
        path: input.Path,
        trustPolicy: input.AssumeRolePolicyDocument,
        now: ctx.now,
        description: input.Description,
        maxSessionDuration: input.MaxSessionDuration,
        permissionsBoundaryArn: input.PermissionsBoundary,
        tags: withTags({}, input.Tags ?? []),
      });
      setOwn(account.roles, role.name, role);
      return { Role: shapes.role(role) };
    },
  }),

  GetRole: operation({
    mutating: false,
    input: z.object({ RoleName: inputs.roleName }),
    handle(ctx, input) {
      return { Role: shapes.role(getRole(callerAccount(ctx), input.RoleName)) };
    },
  }),

  DeleteRole: operation({
    mutating: true,
    input: z.object({ RoleName: inputs.roleName }),
    handle(ctx, input) {
      const account = callerAccount(ctx);
      const role = getRole(account, input.RoleName);
      // IAM makes callers take a role's policies away first, so that nothing is deleted by surprise.
      if (Object.keys(role.inlinePolicies).length > 0) {
        throw iamErrors.deleteConflict(
          'Cannot delete entity, must delete policies first.',
        );
      }
      if (role.attachedPolicyArns.length > 0) {
        throw iamErrors.deleteConflict(
          'Cannot delete entity, must detach all policies first.',
        );
      }
      delete account.roles[role.name];
      return undefined;
    },
  }),

  UpdateAssumeRolePolicy: operation({
    mutating: true,
    input: z.object({
      RoleName: inputs.roleName,
      PolicyDocument: inputs.policyDocument,
    }),
    handle(ctx, input) {
      const role = getRole(callerAccount(ctx), input.RoleName);
      checkTrustPolicy(input.PolicyDocument);
      role.trustPolicy = input.PolicyDocument;
      return undefined;
    },
  }),
  UpdateRole: operation({
    mutating: true,
    input: z.object({
      RoleName: inputs.roleName,
      Description: inputs.description.optional(),
      MaxSessionDuration: inputs.maxSessionDuration.optional(),
    }),
    handle(ctx, input) {
      const role = getRole(callerAccount(ctx), input.RoleName);
      if (input.Description !== undefined) role.description = input.Description;
      if (input.MaxSessionDuration !== undefined)
        role.maxSessionDuration = input.MaxSessionDuration;
      return {};
    },
  }),
};
