export { catalogModuleAccountMintingEstate } from './module';
export { RUN_FINISHED_TOPIC, publishRunFinished } from './runFinishedEvent';
export type { RunFinishedEventPayload } from './runFinishedEvent';
