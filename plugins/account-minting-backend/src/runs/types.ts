import {
  LogLine,
  StepRecord,
} from '@regional-minting/plugin-account-minting-common';

export type {
  PipelineName,
  RunMode,
  RunRecord,
  RunStatus,
  StepRecord,
  StepStatus,
  StepTarget,
} from '@regional-minting/plugin-account-minting-common';

/** A step to create with its run. */
export type NewStep = Pick<
  StepRecord,
  'key' | 'kind' | 'title' | 'target' | 'dependsOn'
>;

/** A log line of a step, as the store keeps it before it has an id. */
export type StepLogLine = Omit<LogLine, 'id'>;
