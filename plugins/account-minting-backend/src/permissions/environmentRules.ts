import {
  createPermissionResourceRef,
  createPermissionRule,
} from '@backstage/plugin-permission-node';
import { ACCOUNT_MINTING_ENVIRONMENT_RESOURCE_TYPE } from '@regional-minting/plugin-account-minting-common';
import { z } from 'zod/v3';

/** Environments as the permission framework sees them: the resource of region requests. */
export const environmentResourceRef = createPermissionResourceRef<
  { name: string },
  { environments: string[] }
>().with({
  pluginId: 'account-minting',
  resourceType: ACCOUNT_MINTING_ENVIRONMENT_RESOURCE_TYPE,
});

/** Lets a policy allow requests in some environments only, such as everything but prod. */
export const isEnvironmentRule = createPermissionRule<
  typeof environmentResourceRef,
  { environments: string[] }
>({
  name: 'IS_ENVIRONMENT',
  description: 'Allow when the environment is one of the given ones',
  resourceRef: environmentResourceRef,
  paramsSchema: z.object({
    environments: z
      .array(z.string())
      .describe('Names of environments, such as dev or stage'),
  }) as z.ZodSchema<{ environments: string[] }>,
  apply: (environment, { environments }) =>
    environments.includes(environment.name),
  toQuery: ({ environments }) => ({ environments }),
});
