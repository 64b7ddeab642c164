/**
 * The account-minting backend plugin, and the catalog module that publishes its estate.
 *
 * @packageDocumentation
 */
export { accountMintingPlugin as default } from './plugin';
export {
  catalogModuleAccountMintingEstate,
  RUN_FINISHED_TOPIC,
  publishRunFinished,
} from './catalog';
export type { RunFinishedEventPayload } from './catalog';
