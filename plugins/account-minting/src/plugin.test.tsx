import { configure, screen, waitFor } from '@testing-library/react';
import { Entity } from '@backstage/catalog-model';
import { renderTestApp } from '@backstage/frontend-test-utils';
import catalogPlugin from '@backstage/plugin-catalog/alpha';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
import { catalogApiMock } from '@backstage/plugin-catalog-react/testUtils';
import { accountMintingApiRef } from './api';
import accountMintingPlugin from './index';
import { estateFixture } from '@regional-minting/plugin-account-minting-common/testUtils';

// Rendering in jsdom, the mocked API's answers and the polling take a while on a loaded
// machine: generous waits, so that it is slow, never failing.
configure({ asyncUtilTimeout: 20_000 });
jest.setTimeout(60_000);

describe('account-minting plugin', () => {
  it('mounts its page at /account-minting', async () => {
    const getHealth = jest.fn(async () => ({
      status: 'ok' as const,
      database: { client: 'pg', latestMigration: 'm1.js' },
      provisioners: [],
    }));
    renderTestApp({
      features: [accountMintingPlugin],
      initialRouteEntries: ['/account-minting'],
      apis: [
        [
          accountMintingApiRef,
          {
            getHealth,
          },
        ],
      ],
    });

    expect(
      await screen.findByRole('heading', { name: 'Account Minting' }),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('link', { name: 'Account Minting' }),
    ).toHaveAttribute('href', '/account-minting');
    // A healthy backend is asked about, and the page says nothing of it.
    await waitFor(() => expect(getHealth).toHaveBeenCalled());
    expect(await screen.findByRole('tab', { name: 'Estate' })).toBeVisible();
    expect(screen.queryByTestId('backend-trouble')).not.toBeInTheDocument();
  });
});

describe('the account-minting entity card', () => {
  const account: Entity = {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Resource',
    metadata: {
      name: 'dev-kirk-us-east-2-mc1',
      namespace: 'default',
      annotations: { 'account-minting/region-ou': 'dev-kirk-us-east-2' },
    },
    spec: { type: 'aws-account', owner: 'group:default/platform' },
  };
  const service: Entity = {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name: 'portal', namespace: 'default' },
    spec: { type: 'service', owner: 'group:default/platform', lifecycle: 'x' },
  };

  function renderEntityPage(entityPath: string) {
    const stub = {
      getEstate: jest.fn(async () => estateFixture()),
      listFindings: jest.fn(async () => []),
    };
    renderTestApp({
      features: [catalogPlugin, accountMintingPlugin],
      initialRouteEntries: [entityPath],
      apis: [
        [accountMintingApiRef, stub],
        [catalogApiRef, catalogApiMock({ entities: [account, service] })],
      ],
    });
    return stub;
  }

  it('is an extension of the plugin, on the entity pages of AWS accounts', () => {
    expect(
      accountMintingPlugin.getExtension(
        'entity-card:account-minting/account-minting',
      ),
    ).toBeDefined();
  });

  it("shows on the catalog's overview of an AWS account, linking to the page", async () => {
    renderEntityPage('/catalog/default/resource/dev-kirk-us-east-2-mc1');

    expect(
      await screen.findByRole('table', { name: 'pipelines' }),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('link', { name: /Open in Account Minting/ }),
    ).toHaveAttribute(
      'href',
      '/account-minting/accounts/dev-kirk-us-east-2-mc1',
    );
  });

  it('stays off the pages of other entities', async () => {
    const stub = renderEntityPage('/catalog/default/component/portal');

    expect(
      await screen.findByRole('heading', { name: 'portal' }),
    ).toBeInTheDocument();
    expect(screen.queryByRole('table', { name: 'pipelines' })).toBeNull();
    expect(stub.getEstate).not.toHaveBeenCalled();
  });
});
