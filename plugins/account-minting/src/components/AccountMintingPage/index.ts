export { AccountMintingPage } from './AccountMintingPage';
