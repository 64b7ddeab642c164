/**
 * Test utilities of the account-minting packages: data as the backend's API answers it,
 * shared by the portal's tests and the catalog module's.
 *
 * @packageDocumentation
 */
export {
  estateFixture,
  regionNamed,
  withoutAccount,
} from './testUtils/estateFixture';
export { configFixture, withApproval } from './testUtils/configFixture';
