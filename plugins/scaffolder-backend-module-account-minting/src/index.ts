/**
 * Scaffolder actions that drive the account-minting backend.
 *
 * @packageDocumentation
 */
export { scaffolderModuleAccountMinting as default } from './module';
