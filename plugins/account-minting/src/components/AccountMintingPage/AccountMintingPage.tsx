import {
  Header,
  Page,
  Progress,
  TabbedLayout,
} from '@backstage/core-components';
import { lazy, ReactNode, Suspense } from 'react';
import { Route, Routes, useResolvedPath } from 'react-router-dom';
import { EstateTree } from '../EstateTree';
import { MintingPathsProvider } from '../shared/paths';
import { BackendStatus } from './BackendStatus';

// The estate is what the page opens on: every other view is loaded when first shown,
// so that the estate's navigation loads and parses only what it draws.
const AccountView = lazy(() =>
  import('../AccountView').then(m => ({ default: m.AccountView })),
);
const ApprovalsList = lazy(() =>
  import('../Approvals').then(m => ({ default: m.ApprovalsList })),
);
const ChangePage = lazy(() =>
  import('../Approvals').then(m => ({ default: m.ChangePage })),
);
const DriftView = lazy(() =>
  import('../Drift').then(m => ({ default: m.DriftView })),
);
const NewRegionForm = lazy(() =>
  import('../NewRegion').then(m => ({ default: m.NewRegionForm })),
);
const RegionView = lazy(() =>
  import('../RegionView').then(m => ({ default: m.RegionView })),
);
const RunPage = lazy(() =>
  import('../RunPage').then(m => ({ default: m.RunPage })),
);
const RunsList = lazy(() =>
  import('../RunsList').then(m => ({ default: m.RunsList })),
);

/** A tab's view, below what is wrong with the backend if anything is. */
function Tab(props: { children: ReactNode }) {
  return (
    <>
      <BackendStatus />
      <Suspense fallback={<Progress />}>{props.children}</Suspense>
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
