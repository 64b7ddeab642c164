/**
 * Shared types, naming rules and the API client of the account-minting plugin.
 *
 * @packageDocumentation
 */
export * from './naming';
export * from './health';
export * from './api/AccountMintingClient';
