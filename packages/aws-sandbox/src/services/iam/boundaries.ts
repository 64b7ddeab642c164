import { z } from 'zod';
import { operation } from '../types';
import { callerAccount, getRole } from './entities';
import { iamErrors } from './errors';
import { attachablePolicy } from './managedPolicies';
import { inputs } from './validation';

/**
 * A role's permissions boundary: the managed policy that caps what its other
 * policies can grant. The sandbox keeps it but does not evaluate it.
 */
export const boundaryOperations = {
  PutRolePermissionsBoundary: operation({
    mutating: true,
    input: z.object({
      RoleName: inputs.roleName,
      PermissionsBoundary: inputs.arn,
    }),
    handle(ctx, input) {
      const account = callerAccount(ctx);
      const role = getRole(account, input.RoleName);
      attachablePolicy(
        account,
        input.PermissionsBoundary,
        iamErrors.noSuchBoundary,
      );
      role.permissionsBoundaryArn = input.PermissionsBoundary;
      return undefined;
    },
  }),

  DeleteRolePermissionsBoundary: operation({
    mutating: true,
    input: z.object({ RoleName: inputs.roleName }),
    handle(ctx, input) {
      const role = getRole(callerAccount(ctx), input.RoleName);
      delete role.permissionsBoundaryArn;
      return undefined;
    },
  }),
};
