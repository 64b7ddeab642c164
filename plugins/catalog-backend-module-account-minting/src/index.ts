/**
 * A catalog module that publishes the account-minting estate: a System per region and a
 * Resource of type aws-account per account. It reads the estate through the account-minting
 * REST API and refreshes on the backend's `account-minting.run-finished` events (the contract
 * in `@regional-minting/plugin-account-minting-node`), so it may run on another backend.
 *
 * @packageDocumentation
 */
export { catalogModuleAccountMintingEstate as default } from './module';
export { catalogModuleAccountMintingEstate } from './module';
