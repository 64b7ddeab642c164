/**
 * The account-minting backend plugin.
 *
 * @packageDocumentation
 */
export { accountMintingPlugin as default } from './plugin';
