import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { PIPELINES } from '@regional-minting/plugin-account-minting-common';
import { backendCaller, MintingActionOptions, runUrlMaker } from './shared';

/** What starting a run left in its checkpoint, for a recovered task. */
type StartedRun = { runId: string; runStatus: string };

/**
 * `account-minting:pipeline:run`: starts a pipeline for a region, or for one of
 * its accounts, or finds the run already doing it.
 */
export function createPipelineRunAction(options: MintingActionOptions) {
  const callBackend = backendCaller(options);
  const runUrlOf = runUrlMaker(options.config);
  return createTemplateAction({
    id: 'account-minting:pipeline:run',
    description:
      'Starts a pipeline (mint, bootstrap, provision or the whole region) for an existing region, or for one of its accounts, as the user running the template. When a run is already doing the same, outputs that run instead.',
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
        description: 'Bootstrap one account of a region again',
        example: [
          'steps:',
          '  - id: bootstrap',
          '    action: account-minting:pipeline:run',
          '    input:',
          '      pipeline: bootstrap',
          '      region: prod-us-east-1',
          '      account: prod-us-east-1-mc0',
        ].join('\n'),
      },
    ],
    schema: {
      input: {
        pipeline: z =>
          z.enum(PIPELINES, {
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
      },
      output: {
        runId: z => z.string({ description: 'The id of the run' }),
        runUrl: z =>
          z.string({ description: "The link to the run's page in the portal" }),
      },
    },
    async handler(ctx) {
      const { pipeline, region } = ctx.input;
      // A template renders an account left empty as an empty string.
      const account = ctx.input.account || undefined;

      // A recovered task finds the run it started before and does not start another.
      let startedNow = false;
      const started = await ctx.checkpoint<StartedRun>({
        key: `account-minting-pipeline-${pipeline}/${region}/${account ?? ''}`,
        fn: async () => {
          startedNow = true;
          const run = await callBackend(ctx, (client, asUser) =>
            client.startRun(
              { pipeline, region, ...(account !== undefined && { account }) },
              asUser,
            ),
          );
          return { runId: run.id, runStatus: run.status };
        },
      });
      const runUrl = runUrlOf(started.runId);
      const what = `${pipeline} of ${account ?? region}`;
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
