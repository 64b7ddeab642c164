/**
 * The permission policy of Regional Account Minting, as a permission backend module: everyone
 * signed in reads; region requests, runs and cancels need the operators group outside the open
 * environments; approvals need the approvers group; the rest of the portal is allowed.
 *
 * @packageDocumentation
 */
export { permissionModuleAccountMintingPolicy as default } from './module';
export { permissionModuleAccountMintingPolicy } from './module';
export { AccountMintingPermissionPolicy } from './AccountMintingPermissionPolicy';
export {
  readPolicyConfig,
  type AccountMintingPolicyConfig,
} from './policyConfig';
