/**
 * Extension points for backend modules of the account-minting plugin, and the events it
 * publishes for modules of other plugins (the run-finished event the catalog module reads).
 *
 * @packageDocumentation
 */
export * from './provisioner';
export * from './ProvisionerRegistry';
export * from './extensions';
export * from './runFinishedEvent';
