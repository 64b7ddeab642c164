import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import {
  isChangeResponse,
  STARTABLE_PIPELINES,
} from '@regional-minting/plugin-account-minting-common';
import {
  approvalState,
  changeOutputs,
  outputChange,
  reasonInput,
  RequestedChange,
  requestedChange,
} from './changeRequests';
import {
  backendCaller,
  changeUrlMaker,
  MintingActionOptions,
  runUrlMaker,
} from './shared';

/**
 * What starting a run left in its checkpoint, for a recovered task: the run, or, in an
 * environment that needs approval, the change waiting for it.
 */
type StartedRun = { runId: string; runStatus: string } | RequestedChange;

/**
 * `account-minting:pipeline:run`: starts a pipeline for a region, or for one of
 * its accounts, or finds the run already doing it.
 */
export function createPipelineRunAction(options: MintingActionOptions) {
  const callBackend = backendCaller(options);
  const runUrlOf = runUrlMaker(options.config);
  const changeUrlOf = changeUrlMaker(options.config);
  return createTemplateAction({
    id: 'account-minting:pipeline:run',
    description:
      'Starts a pipeline (mint, bootstrap, provision or the whole region) for an existing region, or for one of its accounts, as the user running the template. When a run is already doing the same, outputs that run instead. In an environment that needs approval (such as prod) no run starts yet: outputs the change request waiting for the approvers (changeId, changeUrl), which account-minting:run:wait follows to the run.',
    examples: [
      {
        description: "Provision a region's accounts again, and follow the run",
        example: [
          'steps:',
          '  - id: provision',
          '    action: account-minting:pipeline:run',
          '    input:',
          '      pipeline: provision',
          '      region: dev-kirk-us-east-2',
          '  - id: wait',
          '    action: account-minting:run:wait',
          '    input:',
          '      runId: ${{ steps.provision.output.runId }}',
        ].join('\n'),
      },
      {
        description:
          'Bootstrap one account of a prod region again, through its approvals, and follow the run',
        example: [
          'steps:',
          '  - id: bootstrap',
          '    action: account-minting:pipeline:run',
          '    input:',
          '      pipeline: bootstrap',
          '      region: prod-us-east-1',
          '      account: prod-us-east-1-mc0',
          '      reason: its provisioning role was deleted by hand',
          '  - id: wait',
          '    action: account-minting:run:wait',
          '    input:',
          '      runId: ${{ steps.bootstrap.output.runId }}',
          '      changeId: ${{ steps.bootstrap.output.changeId }}',
        ].join('\n'),
      },
    ],
    schema: {
      input: {
        pipeline: z =>
          z.enum(STARTABLE_PIPELINES, {
            description:
              'The pipeline to run: mint (the OU and accounts), bootstrap (the provisioning roles), provision (the provisioning steps) or region (all three in order)',
          }),
        region: z =>
          z.string({
            description:
              'The region OU name of an existing region, such as dev-kirk-us-east-2',
          }),
        account: z =>
          z
            .string({
              description:
                'The name of one account of the region to run the pipeline for, such as dev-kirk-us-east-2-mc0; the whole region when left out',
            })
            .optional(),
        ...reasonInput,
      },
      output: {
        runId: z =>
          z
            .string({
              description:
                'The id of the run (not when the run waits for approval)',
            })
            .optional(),
        runUrl: z =>
          z
            .string({
              description:
                "The link to the run's page in the portal (not when the run waits for approval)",
            })
            .optional(),
        ...changeOutputs,
      },
    },
    async handler(ctx) {
      const { pipeline, region } = ctx.input;
      // A template renders an account left empty as an empty string.
      const account = ctx.input.account || undefined;
      const reason = ctx.input.reason || undefined;

      // A recovered task finds the run it started before and does not start another.
      let startedNow = false;
      const started = await ctx.checkpoint<StartedRun>({
        key: `account-minting-pipeline-${pipeline}/${region}/${account ?? ''}`,
        fn: async () => {
          startedNow = true;
          const response = await callBackend(ctx, (client, asUser) =>
            client.startRun(
              {
                pipeline,
                region,
                ...(account !== undefined && { account }),
                ...(reason !== undefined && { reason }),
              },
              asUser,
            ),
          );
          return isChangeResponse(response)
            ? requestedChange(response.change)
            : { runId: response.id, runStatus: response.status };
        },
      });
      const what = `${pipeline} of ${account ?? region}`;
      if ('changeId' in started) {
        const changeUrl = changeUrlOf(started.changeId);
        ctx.logger.info(
          startedNow
            ? `The ${what} needs approval; change ${
                started.changeId
              } is ${approvalState(started)}: ${changeUrl}`
            : `Change ${started.changeId} was asked for the ${what} before the task was recovered: ${changeUrl}`,
        );
        outputChange(ctx.output, started, changeUrl);
        return;
      }
      const runUrl = runUrlOf(started.runId);
      ctx.logger.info(
        startedNow
          ? `Run ${started.runId} (${started.runStatus}) runs the ${what}: ${runUrl}`
          : `Run ${started.runId} was started for the ${what} before the task was recovered: ${runUrl}`,
      );
      ctx.output('runId', started.runId);
      ctx.output('runUrl', runUrl);
    },
  });
}
