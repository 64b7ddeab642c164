import { Header, Page, TabbedLayout } from '@backstage/core-components';
import { Route, Routes, useResolvedPath } from 'react-router-dom';
import { AccountView } from '../AccountView';
import { ApprovalsList, ChangePage } from '../Approvals';
import { DriftView } from '../Drift';
import { EstateTree } from '../EstateTree';
import { NewRegionForm } from '../NewRegion';
import { RegionView } from '../RegionView';
import { RunPage } from '../RunPage';
import { RunsList } from '../RunsList';
import { MintingPathsProvider } from '../shared/paths';
import { BackendStatus } from './BackendStatus';

/** The account-minting page: the estate of every payer, its runs, its drift and new regions. */
export function AccountMintingPage() {
  const base = useResolvedPath('.').pathname;
  return (
    <MintingPathsProvider base={base}>
      <Page themeId="tool">
        <Header
          title="Account Minting"
          subtitle="Mint, bootstrap and provision the AWS accounts of every region"
        >
          <BackendStatus />
        </Header>
        <TabbedLayout>
          <TabbedLayout.Route path="/" title="Estate">
            <Routes>
              <Route path="/" element={<EstateTree />} />
              <Route path="accounts/:accountName" element={<AccountView />} />
              <Route path="regions/:name" element={<RegionView />} />
            </Routes>
          </TabbedLayout.Route>
          <TabbedLayout.Route path="/runs" title="Runs">
            <Routes>
              <Route path="/" element={<RunsList />} />
              <Route path=":runId" element={<RunPage />} />
            </Routes>
          </TabbedLayout.Route>
          <TabbedLayout.Route path="/drift" title="Drift">
            <DriftView />
          </TabbedLayout.Route>
          <TabbedLayout.Route path="/approvals" title="Approvals">
            <Routes>
              <Route path="/" element={<ApprovalsList />} />
              <Route path=":changeId" element={<ChangePage />} />
            </Routes>
          </TabbedLayout.Route>
          <TabbedLayout.Route path="/new" title="New region">
            <NewRegionForm />
          </TabbedLayout.Route>
        </TabbedLayout>
      </Page>
    </MintingPathsProvider>
  );
}
