/**
 * Test utilities of the account-minting backend, for the tests of modules that drive it:
 * a backend with the plugin against an AWS sandbox of its own, its test configuration,
 * and waits for what the backend does by itself.
 *
 * @packageDocumentation
 */
export {
  mintingTestConfig,
  startMintingBackend,
} from './testUtils/mintingBackend';
export { holdCalls } from './testUtils/holdCalls';
export type { HeldCalls } from './testUtils/holdCalls';
export { testDatabases } from './testUtils/databases';
export { waitFor, eventually, WAIT_TIMEOUT_MS } from './testUtils/waitFor';
export type { WaitOptions } from './testUtils/waitFor';
