/**
 * The account-minting portal: the estate, its runs and new regions.
 *
 * The default export is the plugin for the new frontend system, with its card
 * on the catalog's entity page of each AWS account; legacy apps use
 * `accountMintingLegacyPlugin`, `AccountMintingPage` and, on their entity page,
 * `EntityAccountMintingCard` where `isAccountMintingAccount` holds, and on their
 * scaffolder page the region templates' field extensions.
 *
 * @packageDocumentation
 */
export { accountMintingPlugin as default } from './plugin';
export { accountMintingApiRef } from './api';
export {
  accountMintingLegacyPlugin,
  AccountMintingPage,
  EntityAccountMintingCard,
  AccountMintingEnvironmentPickerFieldExtension,
  AccountMintingRegionPickerFieldExtension,
  AccountMintingOwnerPickerFieldExtension,
} from './legacy';
export type { RegionFieldOptions } from './scaffolder';
export { isAccountMintingAccount } from './components/EntityCard/entity';
