import { RunRecord } from '@regional-minting/plugin-account-minting-common';

/**
 * The events topic on which the account-minting backend tells that a run (or a drift
 * check) finished: a contract between the backend, which publishes, and its modules
 * on other plugins' backends (the catalog's estate provider), which subscribe.
 */
export const RUN_FINISHED_TOPIC = 'account-minting.run-finished';

/** The payload of a `account-minting.run-finished` event. */
export interface RunFinishedEventPayload {
  runId: string;
  pipeline: RunRecord['pipeline'];
  /** apply, or check for a drift check. */
  mode: RunRecord['mode'];
  /** The region OU name, or `*` for a drift check of the whole estate. */
  region: string;
  account?: string;
  status: RunRecord['status'];
  finishedAt?: string;
}
