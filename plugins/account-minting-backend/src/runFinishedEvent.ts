import { EventsService } from '@backstage/plugin-events-node';
import { RunRecord } from '@regional-minting/plugin-account-minting-common';
import {
  RUN_FINISHED_TOPIC,
  RunFinishedEventPayload,
} from '@regional-minting/plugin-account-minting-node';

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
