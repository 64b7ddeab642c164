export { AccountMintingEntityCard } from './AccountMintingEntityCard';
export { NfsAccountMintingEntityCard } from './NfsEntityCard';
export { LegacyAccountMintingEntityCard } from './LegacyEntityCard';
export {
  ACCOUNT_ANNOTATIONS,
  ACCOUNT_ENTITY_TYPE,
  isAccountMintingAccount,
} from './entity';
