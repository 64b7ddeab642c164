/**
 * The account-minting backend plugin. It announces each finished run on the events
 * service (the topic and payload are in `@regional-minting/plugin-account-minting-node`);
 * the catalog module that publishes the estate is its own package and reads it through
 * the REST API.
 *
 * @packageDocumentation
 */
export { accountMintingPlugin as default } from './plugin';
