/**
 * Extension points for backend modules of the account-minting plugin.
 *
 * @packageDocumentation
 */
export * from './provisioner';
export * from './ProvisionerRegistry';
export * from './extensions';
