import { z } from 'zod';
import { operation } from '../types';
import { checkPolicyDocument } from './documents';
import { callerAccount, getRole, own, setOwn } from './entities';
import { iamErrors } from './errors';
import { listPage } from './listing';
import { checkInlinePolicySize } from './quotas';
import { encodeDocument } from './shapes';
import { inputs, pagingInput } from './validation';

/** A role's inline policies: permissions policies kept in the role itself, by name. */
export const inlinePolicyOperations = {
  PutRolePolicy: operation({
    mutating: true,
    input: z.object({
      RoleName: inputs.roleName,
      PolicyName: inputs.policyName,
      PolicyDocument: inputs.policyDocument,
    }),
    handle(ctx, input) {
      const role = getRole(callerAccount(ctx), input.RoleName);
      checkPolicyDocument(input.PolicyDocument, 'permissions');
      checkInlinePolicySize(role, input.PolicyName, input.PolicyDocument);
      // Putting a policy under a name the role already has replaces it, as in IAM.
      setOwn(role.inlinePolicies, input.PolicyName, input.PolicyDocument);
      return undefined;
    },
  }),

  GetRolePolicy: operation({
    mutating: false,
    input: z.object({
      RoleName: inputs.roleName,
      PolicyName: inputs.policyName,
    }),
    handle(ctx, input) {
      const role = getRole(callerAccount(ctx), input.RoleName);
      const document = own(role.inlinePolicies, input.PolicyName);
      if (document === undefined)
        throw iamErrors.noSuchRolePolicy(input.PolicyName);
      return {
        RoleName: role.name,
        PolicyName: input.PolicyName,
        PolicyDocument: encodeDocument(document),
      };
    },
  }),

  DeleteRolePolicy: operation({
    mutating: true,
    input: z.object({
      RoleName: inputs.roleName,
      PolicyName: inputs.policyName,
    }),
    handle(ctx, input) {
      const role = getRole(callerAccount(ctx), input.RoleName);
      if (own(role.inlinePolicies, input.PolicyName) === undefined) {
        throw iamErrors.noSuchRolePolicy(input.PolicyName);
      }
      delete role.inlinePolicies[input.PolicyName];
      return undefined;
    },
  }),

  ListRolePolicies: operation({
    mutating: false,
    input: z.object({ RoleName: inputs.roleName, ...pagingInput }),
    handle(ctx, input) {
      const role = getRole(callerAccount(ctx), input.RoleName);
      // IAM lists policy names in alphabetical order.
      const names = Object.keys(role.inlinePolicies).sort();
      return listPage('PolicyNames', names, `role-policies/${role.id}`, input);
    },
  }),
};
