import {
  DesiredRegion,
  ValidRegionRequest,
} from '@regional-minting/plugin-account-minting-common';
import { MintingConfig } from '../config/mintingConfig';

export type {
  DesiredAccount,
  DesiredRegion,
} from '@regional-minting/plugin-account-minting-common';

/** The tags the engine owns on every account; any other key is left alone. */
export function managedTagKeys(config: MintingConfig): Set<string> {
  return new Set([
    'environment',
    'region',
    'region-ou',
    'role',
    'index',
    'managed-by',
    ...Object.keys(config.tags),
    ...config.accountRoles.flatMap(r => Object.keys(r.tags)),
  ]);
}

/** The region a validated request describes, with every account's name, email and tags. */
export function desiredRegion(
  config: MintingConfig,
  request: ValidRegionRequest,
): DesiredRegion {
  return {
    name: request.regionOu,
    environment: request.environment,
    region: request.region,
    owner: request.owner,
    payer: request.payer,
    ouPath: [config.platformOu, request.environment, request.regionOu],
    accounts: request.accountNames.map(({ role, index, name }) => ({
      name,
      role,
      index,
      email: config.accountEmail.replace('{account}', name),
      tags: {
        'managed-by': 'account-minting',
        ...config.tags,
        ...config.accountRoles.find(r => r.name === role)!.tags,
        environment: request.environment,
        region: request.region,
        'region-ou': request.regionOu,
        role,
        index: String(index),
      },
    })),
  };
}
