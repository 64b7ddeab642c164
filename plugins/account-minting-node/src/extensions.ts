import { createExtensionPoint } from '@backstage/backend-plugin-api';
import { Provisioner } from './provisioner';

/** Lets backend modules add provisioners to the account-minting engine. */
export interface AccountMintingProvisionersExtensionPoint {
  addProvisioner(...provisioners: Provisioner[]): void;
}

/** The extension point through which modules add provisioners. */
export const accountMintingProvisionersExtensionPoint =
  createExtensionPoint<AccountMintingProvisionersExtensionPoint>({
    id: 'account-minting.provisioners',
  });
