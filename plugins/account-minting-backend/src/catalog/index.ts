export { catalogModuleAccountMintingEstate } from './module';
export {
  AccountMintingEstateProvider,
  ESTATE_PROVIDER_NAME,
} from './AccountMintingEstateProvider';
export type { AccountMintingEstateProviderOptions } from './AccountMintingEstateProvider';
export { ROLE_LABEL, estateEntities } from './estateEntities';
export { RUN_FINISHED_TOPIC, publishRunFinished } from './runFinishedEvent';
export type { RunFinishedEventPayload } from './runFinishedEvent';
