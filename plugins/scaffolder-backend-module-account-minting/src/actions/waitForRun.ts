import { InputError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import {
  AccountMintingClient,
  FINISHED_RUN_STATUSES,
  isOneOf,
  LogLine,
  RunStatus,
  RunWithSteps,
  StepRecord,
  StepStatus,
} from '@regional-minting/plugin-account-minting-common';
import { MAX_FAILED_LOOKS, sleep } from './polling';
import {
  backendError,
  changeUrlMaker,
  formatDuration,
  isTransient,
  MintingActionOptions,
  runUrlMaker,
  taskError,
  tokenFor,
} from './shared';
import { waitForApproval } from './waitForApproval';

const DEFAULT_TIMEOUT_MINUTES = 120;
const DEFAULT_POLL_SECONDS = 5;

/** The options of `account-minting:run:wait`. */
export interface WaitForRunOptions extends MintingActionOptions {
  /**
   * The smallest pollSeconds accepted, 1 by default so that a task does not
   * hammer the backend. Tests lower it to poll every few milliseconds.
   */
  minPollSeconds?: number;
}

/** Tells the task log what changed in a run since the last look, each thing once. */
class ProgressReporter {
  /** The run's status at the last look. */
  lastStatus?: RunStatus;
  private readonly stepStatuses = new Map<string, StepStatus>();
  /** The id of the last log line shown, to ask only for the lines after it. */
  lastLineId?: number;

  constructor(
    private readonly logger: {
      debug(message: string): void;
      info(message: string): void;
      warn(message: string): void;
      error(message: string): void;
    },
  ) {}

  run(run: RunWithSteps) {
    for (const step of run.steps) {
      const before = this.stepStatuses.get(step.id);
      if (step.status === before) continue;
      this.stepStatuses.set(step.id, step.status);
      // Every step starts pending: only a step going back to pending (a retry) is news.
      if (before === undefined && step.status === 'pending') continue;
      const line = stepLine(step);
      if (step.status === 'failed') this.logger.error(line);
      else if (step.status === 'blocked' || step.status === 'cancelled') {
        this.logger.warn(line);
      } else this.logger.info(line);
    }
    if (run.status !== this.lastStatus) {
      this.lastStatus = run.status;
      this.logger.info(
        `Run ${run.id} (${run.pipeline} ${run.region}) ${run.status}`,
      );
    }
  }

  lines(run: RunWithSteps, lines: LogLine[]) {
    const keys = new Map(run.steps.map(step => [step.id, step.key]));
    for (const line of lines) {
      if (this.lastLineId !== undefined && line.id <= this.lastLineId) continue;
      this.lastLineId = line.id;
      this.logger[line.level](
        `[${keys.get(line.stepId) ?? line.stepId}] ${line.message}`,
      );
    }
  }
}

/** Such as `account:dev-kirk-us-east-2-rc succeeded in 12s`. */
function stepLine(step: StepRecord): string {
  const took =
    step.startedAt && step.finishedAt
      ? ` in ${formatDuration(
          Date.parse(step.finishedAt) - Date.parse(step.startedAt),
        )}`
      : '';
  switch (step.status) {
    case 'succeeded':
      return `${step.key} succeeded${took}`;
    case 'failed':
      return `${step.key} failed${took}: ${step.error ?? 'no reason given'}`;
    case 'running':
      return step.attempts > 1
        ? `${step.key} running (attempt ${step.attempts})`
        : `${step.key} running`;
    case 'pending':
      return `${step.key} pending, to be tried again${
        step.error ? ` after: ${step.error}` : ''
      }`;
    case 'blocked':
      return `${step.key} blocked: a step it depends on did not succeed`;
    default:
      return `${step.key} ${step.status}`;
  }
}

/** Why a run that did not succeed failed the task: the run's error, prefixed with its failing step's title. */
function failureMessage(run: RunWithSteps): string {
  const step =
    run.steps.find(s => s.status === 'failed') ??
    run.steps.find(s => s.status === 'cancelled');
  if (run.status === 'cancelled') {
    return `Account-minting run ${run.id} was cancelled${
      step ? ` during ${step.title}` : ''
    }`;
  }
  // The backend's run error names its failing step already.
  return run.error ?? `run ${run.id} ${run.status}`;
}

/**
 * `account-minting:run:wait`: follows a run to its end, streaming its steps and
 * log lines into the task log, and fails the task when the run fails. Given a
 * change request instead, first waits for its approvals to start its run.
 */
export function createRunWaitAction(options: WaitForRunOptions) {
  const client = new AccountMintingClient({ discoveryApi: options.discovery });
  const runUrlOf = runUrlMaker(options.config);
  const changeUrlOf = changeUrlMaker(options.config);
  const minPollSeconds = options.minPollSeconds ?? 1;
  return createTemplateAction({
    id: 'account-minting:run:wait',
    description:
      "Waits for an account-minting run to finish, showing each step's progress and the run's log lines in the task log. Fails when the run fails or is cancelled, or when it takes longer than timeoutMinutes (the run goes on). Given the changeId of a change request waiting for approval instead (from account-minting:region:create or account-minting:pipeline:run in an environment such as prod), first waits for its approvals, showing each, and fails when it is rejected or expires; then follows the run it started.",
    examples: [
      {
        description:
          'Follow the run minting a requested region: in prod, through the approvals of its change request first (one of runId and changeId is empty)',
        example: [
          'steps:',
          '  - id: create',
          '    action: account-minting:region:create',
          '    input:',
          '      environment: prod',
          '      region: us-east-1',
          '  - id: wait',
          '    action: account-minting:run:wait',
          '    input:',
          '      runId: ${{ steps.create.output.runId }}',
          '      changeId: ${{ steps.create.output.changeId }}',
        ].join('\n'),
      },
      {
        description:
          'Wait up to a day for the approvals of a change request, then up to two hours for its run',
        example: [
          'steps:',
          '  - id: wait',
          '    action: account-minting:run:wait',
          '    input:',
          '      changeId: ${{ steps.create.output.changeId }}',
          '      approvalTimeoutMinutes: 1440',
        ].join('\n'),
      },
      {
        description: 'Wait up to four hours, looking every 30 seconds',
        example: [
          'steps:',
          '  - id: wait',
          '    action: account-minting:run:wait',
          '    input:',
          '      runId: ${{ steps.provision.output.runId }}',
          '      timeoutMinutes: 240',
          '      pollSeconds: 30',
        ].join('\n'),
      },
    ],
    schema: {
      input: {
        runId: z =>
          z
            .string({
              description:
                'The id of the run, such as the runId output of account-minting:region:create or account-minting:pipeline:run. Give runId or changeId; an empty one counts as left out.',
            })
            .optional(),
        changeId: z =>
          z
            .string({
              description:
                'The id of a change request waiting for approval, such as the changeId output of account-minting:region:create or account-minting:pipeline:run: waits for its approvals, then for the run they start',
            })
            .optional(),
        approvalTimeoutMinutes: z =>
          z
            .number({
              description:
                'How long to wait for the approvals of changeId before failing the task, in minutes; until the change expires by default. The change stays open. A recovered task keeps counting from when it first waited.',
            })
            .positive()
            .optional(),
        timeoutMinutes: z =>
          z
            .number({
              description: `How long to wait for the run to finish before failing the task, in minutes (${DEFAULT_TIMEOUT_MINUTES} by default), counted from the run's start for a change; the run itself is not cancelled. A recovered task keeps counting from when it first waited.`,
            })
            .positive()
            .optional(),
        pollSeconds: z =>
          z
            .number({
              description: `How often to look at the run, in seconds (${DEFAULT_POLL_SECONDS} by default, at least ${minPollSeconds})`,
            })
            .min(minPollSeconds)
            .optional(),
      },
      output: {
        status: z =>
          z.string({
            description:
              'How the run ended: succeeded (the task fails when it failed or was cancelled)',
          }),
        runId: z =>
          z.string({
            description:
              'The id of the run, the one a change request started when waiting for a changeId',
          }),
        runUrl: z =>
          z.string({ description: "The link to the run's page in the portal" }),
        durationSeconds: z =>
          z.number({
            description: 'How long the run took, from its start to its end',
          }),
      },
    },
    async handler(ctx) {
      // A template renders the output left out by the step before as an empty string.
      const givenRunId = ctx.input.runId || undefined;
      const changeId = ctx.input.changeId || undefined;
      const timeoutMinutes =
        ctx.input.timeoutMinutes ?? DEFAULT_TIMEOUT_MINUTES;
      const pollSeconds = ctx.input.pollSeconds ?? DEFAULT_POLL_SECONDS;
      const { approvalTimeoutMinutes } = ctx.input;
      // The scaffolder validates input against the schema; a direct call may not have.
      if (givenRunId === undefined && changeId === undefined) {
        throw taskError(
          new InputError(
            'runId: required, or changeId; a dry run of account-minting:region:create starts no run',
          ),
        );
      }
      if (givenRunId !== undefined && changeId !== undefined) {
        throw taskError(
          new InputError(
            'runId and changeId: give one of them, not both (changeId leads to its run)',
          ),
        );
      }
      for (const [field, value] of [
        ['runId', givenRunId],
        ['changeId', changeId],
      ]) {
        if (value !== undefined && typeof value !== 'string') {
          throw taskError(new InputError(`${field}: must be a string`));
        }
      }
      if (!(timeoutMinutes > 0)) {
        throw taskError(new InputError('timeoutMinutes: must be more than 0'));
      }
      if (
        approvalTimeoutMinutes !== undefined &&
        !(approvalTimeoutMinutes > 0)
      ) {
        throw taskError(
          new InputError('approvalTimeoutMinutes: must be more than 0'),
        );
      }
      if (!(pollSeconds >= minPollSeconds)) {
        throw taskError(
          new InputError(`pollSeconds: must be at least ${minPollSeconds}`),
        );
      }

      const runId =
        changeId === undefined
          ? givenRunId!
          : await waitForApproval(ctx, {
              client,
              auth: options.auth,
              changeId,
              changeUrl: changeUrlOf(changeId),
              pollSeconds,
              approvalTimeoutMinutes,
            });
      const runUrl = runUrlOf(runId);

      // When the task is recovered the timeout still counts from the first wait.
      const waitingSince = await ctx.checkpoint<string>({
        key: `account-minting-run-wait-${runId}`,
        fn: () => new Date().toISOString(),
      });
      const deadline = Date.parse(waitingSince) + timeoutMinutes * 60_000;

      ctx.logger.info(`Waiting for account-minting run ${runId}: ${runUrl}`);
      const progress = new ProgressReporter(ctx.logger);
      let failedLooks = 0;
      for (;;) {
        if (ctx.signal?.aborted) {
          throw taskError(
            new Error(
              `Stopped waiting for account-minting run ${runId}: the task was cancelled (the run goes on: ${runUrl})`,
            ),
          );
        }
        // A fresh token each time: a long wait outlives a token.
        const token = await tokenFor(options.auth, ctx);
        let run: RunWithSteps;
        try {
          run = await client.getRun(runId, { token });
          // Read after the run, so that a finished run's lines are all there; shown
          // first, so that a step's lines come before the news that it ended.
          // Every page of new lines: a finished run's last look must miss none.
          for (;;) {
            const page = await client.getRunLogs(
              runId,
              { after: progress.lastLineId },
              { token },
            );
            progress.lines(run, page.items);
            if (!page.nextCursor) break;
          }
          failedLooks = 0;
        } catch (error) {
          // A backend restarting or out of reach for a while does not end the wait.
          failedLooks += 1;
          if (!isTransient(error) || failedLooks >= MAX_FAILED_LOOKS) {
            throw backendError(error);
          }
          ctx.logger.warn(
            `Could not read run ${runId} (${
              backendError(error).message
            }); trying again`,
          );
          await pause(progress.lastStatus);
          continue;
        }
        progress.run(run);

        if (isOneOf(FINISHED_RUN_STATUSES, run.status) && run.finishedAt) {
          const durationSeconds = Math.round(
            (Date.parse(run.finishedAt) -
              Date.parse(run.startedAt ?? run.createdAt)) /
              1000,
          );
          ctx.output('status', run.status);
          ctx.output('runId', runId);
          ctx.output('runUrl', runUrl);
          ctx.output('durationSeconds', durationSeconds);
          if (run.status !== 'succeeded') {
            // The run's own error, as the backend recorded it.
            throw taskError(new Error(failureMessage(run)));
          }
          ctx.logger.info(
            `Run ${runId} succeeded in ${formatDuration(
              durationSeconds * 1000,
            )}`,
          );
          return;
        }

        await pause(run.status);
      }

      /** Waits until the next look, failing at the deadline. */
      async function pause(status: RunStatus | undefined) {
        const left = deadline - Date.now();
        if (left <= 0) {
          throw taskError(
            new Error(
              `Timed out after ${timeoutMinutes} minutes waiting for account-minting run ${runId}${
                status ? `, which is still ${status}` : ''
              }; it goes on, follow it at ${runUrl}`,
            ),
          );
        }
        await sleep(Math.min(pollSeconds * 1000, left), ctx.signal);
      }
    },
  });
}
