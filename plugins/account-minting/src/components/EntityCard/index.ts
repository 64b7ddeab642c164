export { NfsAccountMintingEntityCard } from './NfsEntityCard';
export { LegacyAccountMintingEntityCard } from './LegacyEntityCard';
export { isAccountMintingAccount } from './entity';
