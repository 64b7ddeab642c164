import {
  readSchedulerServiceTaskScheduleDefinitionFromConfig,
  SchedulerService,
  SchedulerServiceTaskScheduleDefinition,
} from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import { CheckedPipeline } from './checks';
import { DriftService, SCHEDULER } from './DriftService';

/** How often each pipeline is checked unless configured: the design's cadence. */
const DEFAULT_SCHEDULES: Record<
  CheckedPipeline,
  SchedulerServiceTaskScheduleDefinition
> = {
  mint: {
    frequency: { minutes: 15 },
    timeout: { minutes: 10 },
    initialDelay: { minutes: 1 },
  },
  bootstrap: {
    frequency: { hours: 1 },
    timeout: { minutes: 30 },
    initialDelay: { minutes: 2 },
  },
  provision: {
    frequency: { hours: 24 },
    timeout: { hours: 2 },
    initialDelay: { minutes: 5 },
  },
};

/** The task id of a pipeline's scheduled drift check, as the scheduler and its API know it. */
export const driftTaskId = (pipeline: CheckedPipeline) =>
  `account-minting-drift-${pipeline}`;

/**
 * Each pipeline's schedule: `accountMinting.drift.schedules.<pipeline>` in
 * Backstage's schedule format (frequency, timeout, initialDelay), else the default.
 * @throws Error naming the key of a schedule that does not parse
 */
export function readDriftSchedules(
  rootConfig: Config,
): Record<CheckedPipeline, SchedulerServiceTaskScheduleDefinition> {
  const read = (pipeline: CheckedPipeline) => {
    const key = `accountMinting.drift.schedules.${pipeline}`;
    const config = rootConfig.getOptionalConfig(key);
    if (!config) return DEFAULT_SCHEDULES[pipeline];
    try {
      return readSchedulerServiceTaskScheduleDefinitionFromConfig(config);
    } catch (error) {
      throw new Error(`${key}: ${(error as Error).message}`);
    }
  };
  return {
    mint: read('mint'),
    bootstrap: read('bootstrap'),
    provision: read('provision'),
  };
}

/**
 * One scheduled task per pipeline, global so that one backend of many runs each
 * time; each starts a drift check run, which any backend's executor then works on.
 */
export async function scheduleDriftChecks(options: {
  scheduler: SchedulerService;
  schedules: Record<CheckedPipeline, SchedulerServiceTaskScheduleDefinition>;
  drift: DriftService;
}): Promise<void> {
  for (const pipeline of options.drift.checkedPipelines()) {
    await options.scheduler.scheduleTask({
      id: driftTaskId(pipeline),
      ...options.schedules[pipeline],
      scope: 'global',
      fn: async () => {
        await options.drift.startCheck(pipeline, SCHEDULER);
      },
    });
  }
}
