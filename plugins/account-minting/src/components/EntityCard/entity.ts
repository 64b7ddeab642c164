import { Entity } from '@backstage/catalog-model';

/** The `spec.type` of the Resource entities that the catalog holds for the estate's accounts. */
export const ACCOUNT_ENTITY_TYPE = 'aws-account';

/** The annotations of an account's entity, as the catalog provider writes them. */
export const ACCOUNT_ANNOTATIONS = {
  accountId: 'account-minting/account-id',
  payer: 'account-minting/payer',
  regionOu: 'account-minting/region-ou',
  awsRegion: 'account-minting/aws-region',
  ouPath: 'account-minting/ou-path',
  role: 'account-minting/role',
  environment: 'account-minting/environment',
} as const;

/**
 * Whether an entity is an account of the estate, for legacy apps'
 * `<EntitySwitch.Case if={isAccountMintingAccount}>`.
 *
 * @public
 */
export function isAccountMintingAccount(entity: Entity): boolean {
  return (
    entity.kind.toLocaleLowerCase('en-US') === 'resource' &&
    entity.spec?.type === ACCOUNT_ENTITY_TYPE
  );
}
