import { Header, Page, TabbedLayout } from '@backstage/core-components';
import { ReactNode } from 'react';
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

/** A tab's view, below what is wrong with the backend if anything is. */
function Tab(props: { children: ReactNode }) {
  return (
    <>
      <BackendStatus />
      {props.children}
    </>
  );
}

/** The account-minting page: the estate of every payer, its runs, its drift and new regions. */
export function AccountMintingPage() {
  const base = useResolvedPath('.').pathname;
  return (
    <MintingPathsProvider base={base}>
      <Page themeId="tool">
        <Header
          title="Account Minting"
          subtitle="Mint, bootstrap and provision the AWS accounts of every region"
        />
        <TabbedLayout>
          <TabbedLayout.Route path="/" title="Estate">
            <Tab>
              <Routes>
                <Route path="/" element={<EstateTree />} />
                <Route path="accounts/:accountName" element={<AccountView />} />
                <Route path="regions/:name" element={<RegionView />} />
              </Routes>
            </Tab>
          </TabbedLayout.Route>
          <TabbedLayout.Route path="/runs" title="Runs">
            <Tab>
              <Routes>
                <Route path="/" element={<RunsList />} />
                <Route path=":runId" element={<RunPage />} />
              </Routes>
            </Tab>
          </TabbedLayout.Route>
          <TabbedLayout.Route path="/drift" title="Drift">
            <Tab>
              <DriftView />
            </Tab>
          </TabbedLayout.Route>
          <TabbedLayout.Route path="/approvals" title="Approvals">
            <Tab>
              <Routes>
                <Route path="/" element={<ApprovalsList />} />
                <Route path=":changeId" element={<ChangePage />} />
              </Routes>
            </Tab>
          </TabbedLayout.Route>
          <TabbedLayout.Route path="/new" title="New region">
            <Tab>
              <NewRegionForm />
            </Tab>
          </TabbedLayout.Route>
        </TabbedLayout>
      </Page>
    </MintingPathsProvider>
  );
}
