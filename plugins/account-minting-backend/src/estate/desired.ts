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

/** An account of a region as it was accepted: its name and email never change afterwards. */
export interface AcceptedAccount {
  role: string;
  index: number;
  name: string;
  email: string;
  /** The account adopted into this slot: one this product did not create, email and all. */
  accountId?: string;
  /** Taken out of the region by a scale down or an account's decommission, and by whom. */
  retired?: { by: string; at: string };
}

/** The accounts a validated request asks for, with the emails the configuration gives them. */
export function acceptedAccounts(
  config: MintingConfig,
  request: ValidRegionRequest,
): AcceptedAccount[] {
  return request.accountNames.map(account => ({
    ...account,
    email: config.accountEmail.replace('{account}', account.name),
  }));
}

/** What names a region and places it: everything of a request but its accounts. */
export type RegionIdentity = Pick<
  ValidRegionRequest,
  'environment' | 'region' | 'owner' | 'payer' | 'regionOu'
>;

/** The region a validated request describes, with every account's name, email and tags. */
export function desiredRegion(
  config: MintingConfig,
  request: ValidRegionRequest,
): DesiredRegion {
  return regionWithAccounts(config, request, acceptedAccounts(config, request));
}

/** A region with the accounts it was accepted with, tagged as the configuration says now. */
export function regionWithAccounts(
  config: MintingConfig,
  request: RegionIdentity,
  accounts: AcceptedAccount[],
): DesiredRegion {
  return {
    name: request.regionOu,
    environment: request.environment,
    region: request.region,
    owner: request.owner,
    payer: request.payer,
    ouPath: [config.platformOu, request.environment, request.regionOu],
    accounts: accounts.map(({ role, index, name, email, accountId }) => ({
      name,
      role,
      index,
      email,
      ...(accountId ? { accountId } : {}),
      // Tags follow the configuration as it is now: changing them is what drift repair is for.
      tags: {
        'managed-by': 'account-minting',
        ...config.tags,
        ...config.accountRoles.find(r => r.name === role)?.tags,
        environment: request.environment,
        region: request.region,
        'region-ou': request.regionOu,
        role,
        index: String(index),
      },
    })),
  };
}
