/**
 * Shared types, naming rules, request validation and the API client of the account-minting plugin.
 *
 * @packageDocumentation
 */
export * from './naming';
export * from './quote';
export * from './config';
export * from './regionRequest';
export * from './permissions';
export * from './health';
export * from './accountResults';
export * from './catalog';
export * from './api/AccountMintingClient';
export * from './api/types';
export * from './fieldError';
export * from './changes';
/** The REST API's paths, operations and schemas, generated from its OpenAPI spec. */
export type * as AccountMintingApiSchema from './api/openapi.generated';
