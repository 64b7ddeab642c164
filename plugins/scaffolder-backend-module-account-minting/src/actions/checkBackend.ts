import { AuthService, DiscoveryService } from '@backstage/backend-plugin-api';
import { ServiceUnavailableError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { backendCaller, taskError } from './shared';

/**
 * `account-minting:backend:check`: fails a template early, with the reason,
 * when the account-minting backend cannot serve it.
 */
export function createCheckBackendAction(options: {
  discovery: DiscoveryService;
  auth: AuthService;
}) {
  const callBackend = backendCaller(options);
  return createTemplateAction({
    id: 'account-minting:backend:check',
    description:
      'Checks that the account-minting backend is up and its database ready, as the user running the template.',
    examples: [
      {
        description: 'Stop before asking for a region when minting is down',
        example:
          'steps:\n  - id: check\n    action: account-minting:backend:check\n',
      },
    ],
    schema: {
      output: {
        latestMigration: z =>
          z
            .string({
              description: "The newest migration of the backend's database",
            })
            .optional(),
        provisioners: z =>
          z.array(z.string(), {
            description: 'The provisioners that provisioning steps may use',
          }),
      },
    },
    async handler(ctx) {
      const health = await callBackend(ctx, (client, asUser) =>
        client.getHealth(asUser),
      );
      if (health.status !== 'ok') {
        throw taskError(
          new ServiceUnavailableError(
            `The account-minting backend is not ready: ${
              health.database.error ?? 'no reason given'
            }`,
          ),
        );
      }
      ctx.logger.info(
        `account-minting backend ready (database ${
          health.database.client
        }, provisioners: ${health.provisioners.join(', ') || 'none'})`,
      );
      ctx.output('latestMigration', health.database.latestMigration);
      ctx.output('provisioners', health.provisioners);
    },
  });
}
