/**
 * A local, wire-compatible emulator of the AWS calls that account minting makes.
 *
 * @packageDocumentation
 */
export { startSandbox } from './server';
export type { RunningSandbox, SandboxOptions } from './server';
export { CENTRAL_ACCOUNT } from './seed';
export { main } from './cli';
