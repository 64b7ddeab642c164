import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import {
  isChangeResponse,
  RegionRequest,
} from '@regional-minting/plugin-account-minting-common';
import {
  approvalState,
  changeOutputs,
  outputChange,
  reasonInput,
  RequestedChange,
  requestedChange,
} from './changeRequests';
import { planMarkdown } from './planMarkdown';
import {
  backendCaller,
  changeUrlMaker,
  MintingActionOptions,
  runUrlMaker,
} from './shared';

/**
 * What the request of a region left in its checkpoint, for a recovered task: the run
 * minting it, or, in an environment that needs approval, the change waiting for it.
 */
type RequestedRegion = { region: string } & (
  | { runId: string; runStatus: string }
  | RequestedChange
);

/**
 * `account-minting:region:create`: requests a region and starts the run that
 * mints it, or, on a dry run, outputs the plan of minting it.
 */
export function createRegionCreateAction(options: MintingActionOptions) {
  const callBackend = backendCaller(options);
  const runUrlOf = runUrlMaker(options.config);
  const changeUrlOf = changeUrlMaker(options.config);
  return createTemplateAction({
    id: 'account-minting:region:create',
    description:
      'Requests a region (its OU and accounts in the payer of its environment) and starts the run that mints, bootstraps and provisions it, as the user running the template. In an environment that needs approval (such as prod) no run starts yet: outputs the change request waiting for the approvers (changeId, changeUrl), which account-minting:run:wait follows to the run. With dryRun, or in a dry run of the template, only outputs the plan.',
    supportsDryRun: true,
    examples: [
      {
        description:
          'Request a prod region with the configured account counts: prod needs approval, so the step outputs a change request, and the wait follows it through its approvals to the run',
        example: [
          'steps:',
          '  - id: create',
          '    action: account-minting:region:create',
          '    input:',
          '      environment: prod',
          '      region: us-east-1',
          '      reason: capacity for the new platform release',
          '  - id: wait',
          '    action: account-minting:run:wait',
          '    input:',
          '      runId: ${{ steps.create.output.runId }}',
          '      changeId: ${{ steps.create.output.changeId }}',
        ].join('\n'),
      },
      {
        description:
          'Request a personal dev region with three management-cluster accounts, then follow its run',
        example: [
          'steps:',
          '  - id: create',
          '    action: account-minting:region:create',
          '    input:',
          '      environment: dev',
          '      region: us-east-2',
          '      owner: ${{ user.entity.metadata.name }}',
          '      accountRoles:',
          '        management-cluster: 3',
          '  - id: wait',
          '    action: account-minting:run:wait',
          '    input:',
          '      runId: ${{ steps.create.output.runId }}',
        ].join('\n'),
      },
      {
        description: 'Only show what minting a region would do',
        example: [
          'steps:',
          '  - id: plan',
          '    action: account-minting:region:create',
          '    input:',
          '      environment: stage',
          '      region: eu-west-2',
          '      dryRun: true',
        ].join('\n'),
      },
    ],
    schema: {
      input: {
        environment: z =>
          z.string({
            description:
              'The environment of the region, such as prod or dev; it decides the payer whose organization gets the accounts',
          }),
        region: z =>
          z.string({
            description:
              'The AWS region code, such as us-east-2: one of the regions the environment allows',
          }),
        owner: z =>
          z
            .string({
              description:
                'Who owns the region, for environments whose region names carry their owner (such as dev-kirk-us-east-2); leave it out or empty elsewhere',
            })
            .optional(),
        accountRoles: z =>
          z
            .record(z.number().int().min(0), {
              description:
                'Accounts per account role, such as management-cluster: 3, where they differ from the counts configured for the roles',
            })
            .optional(),
        dryRun: z =>
          z
            .boolean({
              description:
                'Only plan: read AWS and output what minting the region would do, changing nothing. A dry run of the template plans too.',
            })
            .optional(),
        ...reasonInput,
      },
      output: {
        region: z =>
          z.string({
            description:
              'The region OU name, which names the region, such as dev-kirk-us-east-2',
          }),
        runId: z =>
          z
            .string({
              description:
                'The id of the run minting the region (not on a dry run, nor when the request waits for approval)',
            })
            .optional(),
        runUrl: z =>
          z
            .string({
              description:
                "The link to the run's page in the portal (not on a dry run, nor when the request waits for approval)",
            })
            .optional(),
        plan: z =>
          z
            .object(
              {
                region: z.string(),
                payer: z.string(),
                actions: z.array(
                  z
                    .object({
                      action: z.string(),
                      target: z.string(),
                      reason: z.string(),
                    })
                    .passthrough(),
                ),
                changes: z.number(),
              },
              {
                description:
                  'On a dry run, what minting the region would do: each action with its target and reason, and how many change something',
              },
            )
            .optional(),
        planMarkdown: z =>
          z
            .string({
              description:
                "On a dry run, the plan as markdown: a line saying what it is, then a table of its actions, one row each, for the template's output text",
            })
            .optional(),
        ...changeOutputs,
      },
    },
    async handler(ctx) {
      const { environment, region, accountRoles } = ctx.input;
      // A template renders an owner left empty as an empty string.
      const owner = ctx.input.owner || undefined;
      const reason = ctx.input.reason || undefined;
      const request: RegionRequest = {
        environment,
        region,
        ...(owner !== undefined && { owner }),
        ...(accountRoles !== undefined && { accountRoles }),
      };

      if (ctx.input.dryRun === true || ctx.isDryRun === true) {
        const response = await callBackend(ctx, (client, asUser) =>
          client.planRegion(request, asUser),
        );
        const { plan } = response;
        ctx.logger.info(
          `Plan of region ${response.region} in payer ${plan.payer}: ${
            plan.changes
          } change${plan.changes === 1 ? '' : 's'}, nothing done`,
        );
        for (const action of plan.actions) {
          ctx.logger.info(
            `${action.action} ${action.target}: ${action.reason}`,
          );
        }
        ctx.output('region', response.region);
        ctx.output('plan', plan);
        ctx.output('planMarkdown', planMarkdown(response));
        return;
      }

      // A recovered task finds the region it requested before in the checkpoint and
      // does not ask again (asking again would return the same region and run anyway).
      let requestedNow = false;
      const requested = await ctx.checkpoint<RequestedRegion>({
        key: `account-minting-region-${environment}/${region}/${owner ?? ''}`,
        fn: async () => {
          requestedNow = true;
          const response = await callBackend(ctx, (client, asUser) =>
            client.requestRegion(
              { ...request, ...(reason !== undefined && { reason }) },
              asUser,
            ),
          );
          if (isChangeResponse(response)) {
            return {
              region: response.change.region,
              ...requestedChange(response.change),
            };
          }
          return {
            region: response.region.name,
            runId: response.run.id,
            runStatus: response.run.status,
          };
        },
      });
      if ('changeId' in requested) {
        const changeUrl = changeUrlOf(requested.changeId);
        ctx.logger.info(
          requestedNow
            ? `Requested region ${requested.region}; change ${
                requested.changeId
              } is ${approvalState(requested)}: ${changeUrl}`
            : `Region ${requested.region} was requested before the task was recovered; change ${requested.changeId} waits for approval: ${changeUrl}`,
        );
        ctx.output('region', requested.region);
        outputChange(ctx.output, requested, changeUrl);
        return;
      }
      const runUrl = runUrlOf(requested.runId);
      ctx.logger.info(
        requestedNow
          ? `Requested region ${requested.region}; run ${requested.runId} (${requested.runStatus}) mints it: ${runUrl}`
          : `Region ${requested.region} was requested before the task was recovered; run ${requested.runId} mints it: ${runUrl}`,
      );
      ctx.output('region', requested.region);
      ctx.output('runId', requested.runId);
      ctx.output('runUrl', runUrl);
    },
  });
}
