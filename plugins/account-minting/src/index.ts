/**
 * The account-minting portal: the estate, its runs and new regions.
 *
 * The default export is the plugin for the new frontend system; legacy apps
 * use `accountMintingLegacyPlugin` and `AccountMintingPage`.
 *
 * @packageDocumentation
 */
export { accountMintingPlugin as default } from './plugin';
export { accountMintingApiRef } from './api';
export { accountMintingLegacyPlugin, AccountMintingPage } from './legacy';
