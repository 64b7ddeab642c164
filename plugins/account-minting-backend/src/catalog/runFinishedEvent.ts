import { EventsService } from '@backstage/plugin-events-node';
import { RunRecord } from '@regional-minting/plugin-account-minting-common';

/** The events topic on which the account-minting backend tells that a run (or a drift check) finished. */
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

/**
 * Publishes that a run finished, for subscribers such as the catalog's estate provider,
 * which may run on another backend (the events service carries it over its event bus).
 */
export async function publishRunFinished(
  events: EventsService,
  run: RunRecord,
): Promise<void> {
  const eventPayload: RunFinishedEventPayload = {
    runId: run.id,
    pipeline: run.pipeline,
    mode: run.mode,
    region: run.region,
    ...(run.account ? { account: run.account } : {}),
    status: run.status,
    ...(run.finishedAt ? { finishedAt: run.finishedAt } : {}),
  };
  await events.publish({ topic: RUN_FINISHED_TOPIC, eventPayload });
}
