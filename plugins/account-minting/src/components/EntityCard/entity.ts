import { Entity } from '@backstage/catalog-model';
import { ACCOUNT_ENTITY_TYPE } from '@regional-minting/plugin-account-minting-common';

export {
  ACCOUNT_ANNOTATIONS,
  ACCOUNT_ENTITY_TYPE,
} from '@regional-minting/plugin-account-minting-common';

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
