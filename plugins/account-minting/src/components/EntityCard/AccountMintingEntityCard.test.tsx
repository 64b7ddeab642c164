import { Entity } from '@backstage/catalog-model';
import { createRouteRef as createLegacyRouteRef } from '@backstage/core-plugin-api';
import { renderInTestApp } from '@backstage/frontend-test-utils';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import {
  renderInTestApp as renderInLegacyTestApp,
  TestApiProvider,
} from '@backstage/test-utils';
import {
  AccountMintingApi,
  DriftFinding,
} from '@regional-minting/plugin-account-minting-common';
import { configure, screen, within } from '@testing-library/react';
import { ReactElement } from 'react';
import { accountMintingApiRef } from '../../api';
import { rootRouteRef } from '../../routes';
import { estateFixture } from '@regional-minting/plugin-account-minting-common/testUtils';
import { AccountMintingEntityCard } from './AccountMintingEntityCard';
import { isAccountMintingAccount } from './entity';
import { LegacyAccountMintingEntityCard } from './LegacyEntityCard';
import { NfsAccountMintingEntityCard } from './NfsEntityCard';

// Rendering in jsdom, the mocked API's answers and the polling take a while on a loaded
// machine: generous waits, so that it is slow, never failing.
configure({ asyncUtilTimeout: 20_000 });
jest.setTimeout(60_000);

const REGION = 'dev-kirk-us-east-2';

function accountEntity(
  name: string,
  annotations: Record<string, string> = {
    'account-minting/region-ou': REGION,
  },
): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Resource',
    metadata: { name, annotations },
    spec: { type: 'aws-account', owner: 'group:default/platform' },
  };
}

function finding(
  id: string,
  overrides: Partial<DriftFinding> = {},
): DriftFinding {
  return {
    id,
    pipeline: 'mint',
    layer: 'tags',
    payer: 'staging-2',
    environment: 'dev',
    region: REGION,
    summary: `finding ${id}`,
    repairable: true,
    firstSeenAt: '2026-11-28T10:00:00.000Z',
    lastSeenAt: '2026-11-28T10:00:00.000Z',
    checkRunId: 'check-1',
    ...overrides,
  };
}

const findings: DriftFinding[] = [
  finding('f-1', {
    account: 'dev-kirk-us-east-2-mc1',
    summary: 'tag managed-by differs',
  }),
  finding('f-2', {
    layer: 'stray-account',
    summary: 'stray-sandbox is in the region OU',
  }),
  finding('f-3', {
    account: 'dev-kirk-us-east-2-rc',
    summary: 'the rc account has drifted',
  }),
];

function stubApi(overrides: Partial<AccountMintingApi> = {}) {
  return {
    getEstate: jest.fn(async () => estateFixture()),
    listFindings: jest.fn(async () => findings),
    ...overrides,
  };
}

function renderCard(
  entity: Entity,
  api: ReturnType<typeof stubApi>,
  card: ReactElement = <AccountMintingEntityCard />,
) {
  return renderInTestApp(
    <EntityProvider entity={entity}>{card}</EntityProvider>,
    { apis: [[accountMintingApiRef, api]] },
  );
}

function pipelineRow(pipeline: string) {
  const table = screen.getByRole('table', { name: 'pipelines' });
  return within(table)
    .getAllByRole('row')
    .find(row => within(row).queryByText(pipeline, { exact: true }))!;
}

describe('AccountMintingEntityCard', () => {
  it("shows the account and each pipeline's last result, with links to its runs", async () => {
    renderCard(accountEntity('dev-kirk-us-east-2-mc1'), stubApi());

    await screen.findByRole('table', { name: 'pipelines' });
    expect(screen.getByText('Account Minting')).toBeInTheDocument();
    expect(
      screen.getByText('dev-kirk-us-east-2 in staging-2 (400000000001)'),
    ).toBeInTheDocument();
    expect(screen.getByText('400000000103')).toBeInTheDocument();
    expect(
      screen.getByText(
        'Root / rosa-regional-platform / dev / dev-kirk-us-east-2',
      ),
    ).toBeInTheDocument();
    expect(screen.getByText('management-cluster')).toBeInTheDocument();

    for (const pipeline of ['mint', 'bootstrap']) {
      const row = pipelineRow(pipeline);
      expect(within(row).getByText('succeeded')).toBeInTheDocument();
      expect(
        within(row).getByRole('link', { name: `${pipeline} run run-1` }),
      ).toHaveAttribute('href', '/account-minting/runs/run-1');
    }
    const provision = pipelineRow('provision');
    expect(within(provision).getByText('failed')).toBeInTheDocument();
    expect(
      within(provision).getByRole('link', { name: 'provision run run-2' }),
    ).toHaveAttribute('href', '/account-minting/runs/run-2');
    // The failed provisioning is the account's status at a glance.
    expect(screen.getAllByText('failed')).toHaveLength(2);

    expect(
      screen.getByRole('link', { name: /Open in Account Minting/ }),
    ).toHaveAttribute(
      'href',
      '/account-minting/accounts/dev-kirk-us-east-2-mc1',
    );
  });

  it('shows a pipeline never run on the account as such', async () => {
    const estate = estateFixture();
    estate.payers[0].environments[0].regions[0].accounts[0].lastRuns = {
      mint: {
        runId: 'run-1',
        status: 'succeeded',
        startedAt: '2026-11-28T10:00:00.000Z',
      },
    };
    renderCard(
      accountEntity('dev-kirk-us-east-2-rc'),
      stubApi({ getEstate: async () => estate }),
    );

    await screen.findByRole('table', { name: 'pipelines' });
    expect(
      within(pipelineRow('bootstrap')).getByText('never run'),
    ).toBeInTheDocument();
    expect(
      within(pipelineRow('provision')).queryByRole('link'),
    ).not.toBeInTheDocument();
  });

  it("counts the open drift of the account and of its whole region, with a link to the region's drift", async () => {
    const api = stubApi();
    renderCard(accountEntity('dev-kirk-us-east-2-mc1'), api);

    expect(await screen.findByTestId('drift-count')).toHaveTextContent(
      '2 open drift findings',
    );
    const list = screen.getByRole('list', { name: 'open drift findings' });
    expect(
      within(list).getByText('tag managed-by differs'),
    ).toBeInTheDocument();
    expect(
      within(list).getByText('stray-sandbox is in the region OU'),
    ).toBeInTheDocument();
    expect(
      within(list).getByText('stray-account · whole region'),
    ).toBeInTheDocument();
    // Another account's finding is not this one's.
    expect(screen.queryByText('the rc account has drifted')).toBeNull();
    expect(
      screen.getByRole('link', { name: `All drift findings of ${REGION}` }),
    ).toHaveAttribute('href', `/account-minting/drift?region=${REGION}`);
    expect(api.listFindings).toHaveBeenCalledTimes(1);
    expect(api.listFindings).toHaveBeenCalledWith({
      region: REGION,
      status: 'open',
    });
  });

  it('says when the account has no open drift', async () => {
    renderCard(
      accountEntity('dev-kirk-us-east-2-mc0'),
      stubApi({ listFindings: jest.fn(async () => []) }),
    );

    expect(
      await screen.findByText('no open drift findings'),
    ).toBeInTheDocument();
    expect(screen.queryByTestId('drift-count')).toBeNull();
  });

  it("reads the drift of the estate's region when the entity names none", async () => {
    const api = stubApi();
    renderCard(accountEntity('dev-kirk-us-east-2-mc1', {}), api);

    expect(await screen.findByTestId('drift-count')).toHaveTextContent(
      '2 open drift findings',
    );
    expect(api.listFindings).toHaveBeenCalledWith({
      region: REGION,
      status: 'open',
    });
  });

  it('shows the account without its drift when the findings cannot be read', async () => {
    renderCard(
      accountEntity('dev-kirk-us-east-2-mc1'),
      stubApi({
        listFindings: jest.fn(async () => {
          throw new Error('drift table missing');
        }),
      }),
    );

    expect(
      await screen.findByText(/The drift findings could not be read/),
    ).toBeInTheDocument();
    expect(
      within(pipelineRow('provision')).getByText('failed'),
    ).toBeInTheDocument();
  });

  it('says so when the account is not in the estate, as a stale entity', async () => {
    const api = stubApi();
    renderCard(accountEntity('dev-gone-us-east-2-mc0'), api);

    expect(
      await screen.findByText(
        'No account dev-gone-us-east-2-mc0 in the estate.',
      ),
    ).toBeInTheDocument();
    expect(screen.getByText(/may be stale/)).toBeInTheDocument();
    expect(screen.queryByRole('table', { name: 'pipelines' })).toBeNull();
    expect(
      screen.getByRole('link', { name: /Open the estate in Account Minting/ }),
    ).toHaveAttribute('href', '/account-minting');
  });

  it('shows the error when the estate cannot be read', async () => {
    renderCard(
      accountEntity('dev-kirk-us-east-2-mc1'),
      stubApi({
        getEstate: jest.fn(async () => {
          throw new Error('backend down');
        }),
      }),
    );

    expect(
      await screen.findByText(
        /Account dev-kirk-us-east-2-mc1 could not be read from Account Minting/,
      ),
    ).toBeInTheDocument();
    expect(screen.getAllByText(/backend down/).length).toBeGreaterThan(0);
  });

  it('links to where the new frontend system mounted the page', async () => {
    renderInTestApp(
      <EntityProvider entity={accountEntity('dev-kirk-us-east-2-mc1')}>
        <NfsAccountMintingEntityCard />
      </EntityProvider>,
      {
        apis: [[accountMintingApiRef, stubApi()]],
        mountedRoutes: { '/minting': rootRouteRef },
      },
    );

    expect(
      await screen.findByRole('link', { name: /Open in Account Minting/ }),
    ).toHaveAttribute('href', '/minting/accounts/dev-kirk-us-east-2-mc1');
    expect(
      screen.getByRole('link', { name: 'provision run run-2' }),
    ).toHaveAttribute('href', '/minting/runs/run-2');
    expect(
      screen.getByRole('link', { name: `All drift findings of ${REGION}` }),
    ).toHaveAttribute('href', `/minting/drift?region=${REGION}`);
  });

  it('links to where a legacy app routes the page, or to the default path', async () => {
    const legacyRouteRef = createLegacyRouteRef({ id: 'account-minting-test' });
    const entity = accountEntity('dev-kirk-us-east-2-mc1');
    const card = (
      <TestApiProvider apis={[[accountMintingApiRef, stubApi()]]}>
        <EntityProvider entity={entity}>
          <LegacyAccountMintingEntityCard pageRouteRef={legacyRouteRef} />
        </EntityProvider>
      </TestApiProvider>
    );
    const { unmount } = await renderInLegacyTestApp(card, {
      mountedRoutes: { '/aws/minting': legacyRouteRef },
    });
    expect(
      await screen.findByRole('link', { name: /Open in Account Minting/ }),
    ).toHaveAttribute('href', '/aws/minting/accounts/dev-kirk-us-east-2-mc1');
    unmount();

    // An app that routes no page gets the page's default path.
    await renderInLegacyTestApp(card);
    expect(
      await screen.findByRole('link', { name: /Open in Account Minting/ }),
    ).toHaveAttribute(
      'href',
      '/account-minting/accounts/dev-kirk-us-east-2-mc1',
    );
  });
});

describe('isAccountMintingAccount', () => {
  it('holds for Resources of type aws-account only', () => {
    expect(isAccountMintingAccount(accountEntity('a'))).toBe(true);
    expect(
      isAccountMintingAccount({
        ...accountEntity('a'),
        spec: { type: 'database' },
      }),
    ).toBe(false);
    expect(
      isAccountMintingAccount({ ...accountEntity('a'), kind: 'Component' }),
    ).toBe(false);
  });
});
