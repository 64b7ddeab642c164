import { Content, Header, Page } from '@backstage/core-components';
import { BackendStatus } from './BackendStatus';

/** The account-minting page: the estate of every payer, its runs and new regions. */
export function AccountMintingPage() {
  return (
    <Page themeId="tool">
      <Header
        title="Account Minting"
        subtitle="Mint, bootstrap and provision the AWS accounts of every region"
      />
      <Content>
        <BackendStatus />
      </Content>
    </Page>
  );
}
