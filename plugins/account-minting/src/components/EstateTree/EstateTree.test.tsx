import { renderInTestApp } from '@backstage/frontend-test-utils';
import {
  AccountMintingApi,
  DriftFinding,
} from '@regional-minting/plugin-account-minting-common';
import {
  act,
  configure,
  fireEvent,
  screen,
  waitFor,
  within,
} from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { ReactNode } from 'react';
import { useLocation, useNavigate } from 'react-router-dom';
import { accountMintingApiRef } from '../../api';
import { estateFixture } from '@regional-minting/plugin-account-minting-common/testUtils';
import { EstateTree } from './EstateTree';

// Rendering in jsdom, the mocked API's answers and the polling take a while on a loaded
// machine: generous waits, so that it is slow, never failing.
configure({ asyncUtilTimeout: 20_000 });
jest.setTimeout(60_000);

/** jsdom lays nothing out: the tree's container is resized by hand, as a browser's window would. */
class FakeResizeObserver {
  static observers = new Set<FakeResizeObserver>();
  private element?: Element;
  constructor(private readonly callback: ResizeObserverCallback) {}
  observe(element: Element) {
    this.element = element;
    FakeResizeObserver.observers.add(this);
  }
  unobserve() {}
  disconnect() {
    FakeResizeObserver.observers.delete(this);
  }
  static resizeTo(height: number) {
    act(() =>
      FakeResizeObserver.observers.forEach(observer =>
        observer.callback(
          [
            {
              target: observer.element!,
              contentRect: { width: 1200, height } as DOMRectReadOnly,
            } as ResizeObserverEntry,
          ],
          observer as unknown as ResizeObserver,
        ),
      ),
    );
  }
}

beforeAll(() => {
  window.ResizeObserver = FakeResizeObserver;
});

/** The fixture with more accounts in dev-kirk-us-east-2 than a window shows at once. */
function largeEstate(extraAccounts: number) {
  const estate = estateFixture();
  const kirk = estate.payers[0].environments[0].regions[0];
  for (let i = 0; i < extraAccounts; i++) {
    kirk.accounts.push({
      ...kirk.accounts[1],
      name: `dev-kirk-us-east-2-extra${String(i).padStart(2, '0')}`,
    });
  }
  return estate;
}

function renderTree(
  getEstate: AccountMintingApi['getEstate'],
  listFindings?: AccountMintingApi['listFindings'],
) {
  return renderInTestApp(<EstateTree />, {
    apis: [[accountMintingApiRef, { getEstate, listFindings }]],
  });
}

function finding(
  id: string,
  region: string,
  account: string | undefined,
): DriftFinding {
  return {
    id,
    pipeline: 'bootstrap',
    layer: account ? 'tags' : 'provisioning-role',
    payer: 'staging-2',
    environment: 'dev',
    region,
    account,
    summary: `drift ${id}`,
    repairable: true,
    firstSeenAt: '2026-11-28T09:00:00.000Z',
    lastSeenAt: '2026-11-28T10:00:00.000Z',
    checkRunId: 'check-1',
  };
}

const driftFindings = [
  finding('f1', 'dev-kirk-us-east-2', 'dev-kirk-us-east-2-mc0'),
  finding('f2', 'dev-kirk-us-east-2', 'dev-kirk-us-east-2-mc0'),
  finding('f3', 'dev-kirk-us-east-2', undefined),
];

/** Where the app is: what Enter on a row opens. */
function Location() {
  return <div data-testid="location">{useLocation().pathname}</div>;
}

/** The tree of the fixture, beside something that shows or moves where the app is. */
function renderTreeWithLocation(beside: ReactNode = <Location />) {
  return renderInTestApp(
    <>
      <EstateTree />
      {beside}
    </>,
    {
      apis: [
        [accountMintingApiRef, { getEstate: async () => estateFixture() }],
      ],
    },
  );
}

/** Tab from the top of the page until the tree takes the focus, as a keyboard user does. */
async function tabIntoTree() {
  for (let i = 0; i < 20; i++) {
    await userEvent.tab();
    if (document.activeElement?.getAttribute('role') === 'treeitem') {
      return document.activeElement;
    }
  }
  throw new Error('Tab never reached a row of the tree');
}

const focusedRow = () => document.activeElement?.getAttribute('aria-label');

const treeItems = () =>
  within(screen.getByRole('tree', { name: 'Estate' }))
    .getAllByRole('treeitem')
    .map(item => item.getAttribute('aria-label'));

describe('EstateTree', () => {
  it("shows every payer's tree with each account's pipelines and each region's state", async () => {
    await renderTree(async () => estateFixture());

    const mc1 = await screen.findByRole('treeitem', {
      name: 'dev-kirk-us-east-2-mc1',
    });
    expect(mc1).toHaveAttribute('data-status', 'failed');
    expect(
      within(mc1).getByRole('link', {
        name: /^provision failed, finished .*, run run-2$/,
      }),
    ).toHaveAttribute('href', '/account-minting/runs/run-2');
    expect(
      within(mc1).getByRole('link', { name: 'dev-kirk-us-east-2-mc1' }),
    ).toHaveAttribute(
      'href',
      '/account-minting/accounts/dev-kirk-us-east-2-mc1',
    );

    const spock = screen.getByRole('treeitem', { name: 'dev-spock-eu-west-1' });
    expect(spock).toHaveTextContent('desired, not in AWS');
    expect(spock).toHaveTextContent('last run running');
    expect(
      screen.getByRole('treeitem', { name: 'dev-uhura-us-east-2' }),
    ).toHaveTextContent('not desired, in AWS');
    expect(
      screen.getByRole('treeitem', { name: 'staging-1' }),
    ).toHaveTextContent('AccessDenied: not allowed to assume AccountMinter');
    expect(
      screen.getByText(/3 payers, 5 region OUs, 9 accounts/),
    ).toBeInTheDocument();
  });

  it('draws the last estate at once when shown again, opened as it was, and reads it again behind it', async () => {
    const api = {
      getEstate: jest.fn(async () => estateFixture()),
      listFindings: jest.fn(async () => []),
    };
    const options = { apis: [[accountMintingApiRef, api]] as const };
    const first = await renderInTestApp(<EstateTree />, options as any);
    await screen.findByRole('treeitem', { name: 'dev-kirk-us-east-2-mc1' });
    // What the user closed stays closed.
    await userEvent.click(
      screen.getByRole('button', { name: 'Collapse dev-spock-eu-west-1' }),
    );
    first.unmount();

    // Back on the tab: the estate is being read again, and does not answer yet.
    api.getEstate.mockImplementation(() => new Promise(() => {}));
    await renderInTestApp(<EstateTree />, options as any);
    expect(
      screen.getByRole('treeitem', { name: 'dev-kirk-us-east-2-mc1' }),
    ).toBeInTheDocument();
    expect(screen.queryByRole('progressbar')).not.toBeInTheDocument();
    expect(
      screen.getByRole('treeitem', { name: 'dev-spock-eu-west-1' }),
    ).toHaveAttribute('aria-expanded', 'false');
    expect(api.getEstate).toHaveBeenCalledTimes(2);
  });

  it("gives an account's pipelines fixed columns of an icon and how long ago, the rest on hover", async () => {
    await renderTree(async () => estateFixture());

    const mc1 = await screen.findByRole('treeitem', {
      name: 'dev-kirk-us-east-2-mc1',
    });
    const cells = within(mc1).getAllByTitle(
      /^(mint|bootstrap|provision) (succeeded|failed)/,
    );
    expect(cells.map(cell => cell.title.split(' ')[0])).toEqual([
      'mint',
      'bootstrap',
      'provision',
    ]);
    for (const cell of cells) {
      // A few characters, whatever the pipeline and time: no overlap, no cut-off.
      expect(cell).toHaveTextContent(/^(just now|\d+(m|h|d|mo|y) ago)$/);
      expect(cell.title).toMatch(/, finished .*2026.*, run run-[12]$/);
      const style = getComputedStyle(cell);
      // The same width on every row, neither growing nor shrinking with its text.
      expect([
        style.width,
        style.flexGrow,
        style.flexShrink,
        style.overflow,
      ]).toEqual(['88px', '0', '0', 'hidden']);
    }
    expect(
      within(
        screen.getByRole('treeitem', { name: 'dev-spock-eu-west-1-rc' }),
      ).getByTitle('provision never run'),
    ).toHaveTextContent('never');
  });

  it('draws the rows its container has room for as the window grows', async () => {
    await renderTree(async () => largeEstate(40));
    const lastRow = 'dev-kirk-us-east-2-extra35';
    await screen.findByRole('treeitem', { name: 'dev-kirk-us-east-2-rc' });

    FakeResizeObserver.resizeTo(440);
    expect(treeItems()).not.toContain(lastRow);
    expect(treeItems().length).toBeLessThan(15);

    FakeResizeObserver.resizeTo(1760);
    expect(treeItems()).toContain(lastRow);
    expect(treeItems().length).toBeGreaterThan(40);
  });

  it('is one Tab stop whose rows the arrow keys move through, open and close', async () => {
    await renderTreeWithLocation();
    await screen.findByRole('treeitem', { name: 'dev-kirk-us-east-2-rc' });
    const tabbable = within(screen.getByRole('tree', { name: 'Estate' }))
      .getAllByRole('treeitem')
      .filter(item => item.tabIndex === 0);
    expect(tabbable.map(item => item.getAttribute('aria-label'))).toEqual([
      'staging-2',
    ]);

    const first = await tabIntoTree();
    expect(first).toHaveAttribute('aria-label', 'staging-2');
    expect(first).toHaveAttribute('aria-selected', 'true');
    expect(first).toHaveAttribute('aria-level', '1');

    await userEvent.keyboard('{ArrowDown}{ArrowDown}');
    expect(focusedRow()).toBe('dev-kirk-us-east-2');
    const kirk = document.activeElement!;
    expect(kirk).toHaveAttribute('aria-selected', 'true');
    expect(kirk).toHaveAttribute('tabindex', '0');
    expect(kirk).toHaveAttribute('aria-level', '3');
    expect(screen.getByRole('treeitem', { name: 'staging-2' })).toHaveAttribute(
      'tabindex',
      '-1',
    );

    // Left collapses an open row, then goes to its parent.
    await userEvent.keyboard('{ArrowLeft}');
    expect(kirk).toHaveAttribute('aria-expanded', 'false');
    expect(treeItems()).not.toContain('dev-kirk-us-east-2-rc');
    expect(focusedRow()).toBe('dev-kirk-us-east-2');
    // Right expands a closed row, then goes to its first child.
    await userEvent.keyboard('{ArrowRight}');
    expect(kirk).toHaveAttribute('aria-expanded', 'true');
    expect(focusedRow()).toBe('dev-kirk-us-east-2');
    await userEvent.keyboard('{ArrowRight}');
    expect(focusedRow()).toBe('dev-kirk-us-east-2-rc');
    await userEvent.keyboard('{ArrowLeft}');
    expect(focusedRow()).toBe('dev-kirk-us-east-2');
    await userEvent.keyboard('{ArrowUp}');
    expect(focusedRow()).toBe('dev');

    await userEvent.keyboard('{Home}');
    expect(focusedRow()).toBe('staging-2');
  });

  it('scrolls the row the keyboard goes to into the list, however far', async () => {
    await renderTree(async () => largeEstate(40));
    await screen.findByRole('treeitem', { name: 'dev-kirk-us-east-2-rc' });
    expect(treeItems()).not.toContain('prod-eu-west-2-rc');

    await tabIntoTree();
    await userEvent.keyboard('{End}');
    expect(focusedRow()).toBe('prod-eu-west-2-rc');
    expect(treeItems()).toContain('prod-eu-west-2-rc');
    expect(treeItems()).not.toContain('staging-2');

    await userEvent.keyboard('{ArrowUp}');
    expect(focusedRow()).toBe('prod-eu-west-2');
    await userEvent.keyboard('{Home}');
    expect(focusedRow()).toBe('staging-2');
  });

  it('goes to a row by the first characters of its name', async () => {
    await renderTreeWithLocation();
    await screen.findByRole('treeitem', { name: 'dev-kirk-us-east-2-rc' });
    await tabIntoTree();

    await userEvent.keyboard('c');
    expect(focusedRow()).toBe('control');
    await userEvent.keyboard('{Home}dev-s');
    expect(focusedRow()).toBe('dev-spock-eu-west-1');
    // The same character again goes on to the next name it starts.
    await userEvent.keyboard('{Home}s');
    expect(focusedRow()).toBe('stray-sandbox');
  });

  it('opens the view of an account or a region with Enter, as a click does', async () => {
    await renderTreeWithLocation();
    await screen.findByRole('treeitem', { name: 'dev-kirk-us-east-2-rc' });
    await tabIntoTree();

    await userEvent.keyboard('{ArrowDown}{ArrowDown}{Enter}');
    expect(screen.getByTestId('location')).toHaveTextContent(
      '/account-minting/regions/dev-kirk-us-east-2',
    );
    await userEvent.keyboard('{ArrowDown}{ArrowDown}{Enter}');
    expect(screen.getByTestId('location')).toHaveTextContent(
      '/account-minting/accounts/dev-kirk-us-east-2-mc0',
    );
  });

  it('says why a region whose request no longer fits the configuration is not minted', async () => {
    const estate = estateFixture();
    const spock = estate.payers
      .flatMap(p => p.environments)
      .flatMap(e => e.regions)
      .find(r => r.name === 'dev-spock-eu-west-1')!;
    spock.problem =
      'region eu-west-1 is not allowed in dev; allowed: us-east-1, us-east-2';
    await renderTree(async () => estate);

    expect(
      await screen.findByRole('treeitem', { name: 'dev-spock-eu-west-1' }),
    ).toHaveTextContent(
      'not minted: region eu-west-1 is not allowed in dev; allowed: us-east-1, us-east-2',
    );
    expect(
      screen.getByRole('treeitem', { name: 'dev-kirk-us-east-2' }),
    ).not.toHaveTextContent('not minted');
  });

  it("draws closing and closed accounts greyed with AWS's status, and the payer's closed OU with its accounts", async () => {
    const estate = estateFixture();
    const kirk = estate.payers[0].environments[0].regions[0];
    kirk.accounts[2] = { ...kirk.accounts[2], status: 'PENDING_CLOSURE' };
    estate.payers[0].closedOu = {
      name: 'closed',
      id: 'ou-stg2-closed',
      accounts: [
        {
          name: 'dev-mccoy-us-east-1-rc',
          id: '400000000777',
          status: 'SUSPENDED',
          tags: {},
          desired: false,
          observed: true,
          lastRuns: {},
        },
      ],
    };
    await renderTree(async () => estate);

    const closing = await screen.findByRole('treeitem', {
      name: 'dev-kirk-us-east-2-mc1',
    });
    expect(closing).toHaveAttribute('data-closed', 'true');
    expect(closing).toHaveTextContent('PENDING_CLOSURE');
    expect(
      screen.getByRole('treeitem', { name: 'dev-kirk-us-east-2-mc0' }),
    ).not.toHaveAttribute('data-closed');

    const closedOu = screen.getByRole('treeitem', { name: 'closed' });
    expect(closedOu).toHaveAttribute('data-closed', 'true');
    expect(closedOu).toHaveTextContent('closed OU');
    await userEvent.click(
      within(closedOu).getByRole('button', { name: 'Expand closed' }),
    );
    const suspended = screen.getByRole('treeitem', {
      name: 'dev-mccoy-us-east-1-rc',
    });
    expect(suspended).toHaveAttribute('data-closed', 'true');
    expect(suspended).toHaveTextContent('SUSPENDED');
  });

  it('links each desired region to its view', async () => {
    await renderTree(async () => estateFixture());

    const kirk = await screen.findByRole('treeitem', {
      name: 'dev-kirk-us-east-2',
    });
    expect(
      within(kirk).getByRole('link', { name: 'dev-kirk-us-east-2' }),
    ).toHaveAttribute('href', '/account-minting/regions/dev-kirk-us-east-2');
    expect(
      within(
        screen.getByRole('treeitem', { name: 'dev-uhura-us-east-2' }),
      ).queryByRole('link', { name: 'dev-uhura-us-east-2' }),
    ).not.toBeInTheDocument();
  });

  it('shows counts on a collapsed node and its accounts once expanded', async () => {
    await renderTree(async () => estateFixture());

    await userEvent.click(
      await screen.findByRole('button', {
        name: 'Collapse dev-kirk-us-east-2',
      }),
    );
    expect(treeItems()).not.toContain('dev-kirk-us-east-2-rc');
    expect(
      screen.getByRole('treeitem', { name: 'dev-kirk-us-east-2' }),
    ).toHaveTextContent('3 accounts: 1 failed, 2 succeeded');

    await userEvent.click(
      screen.getByRole('button', { name: 'Expand dev-kirk-us-east-2' }),
    );
    expect(treeItems()).toContain('dev-kirk-us-east-2-rc');
  });

  it('filters by text and by status, and says when nothing matches', async () => {
    await renderTree(async () => estateFixture());

    const filter = await screen.findByLabelText(
      'Filter by name, id, email or tag',
    );
    fireEvent.change(filter, { target: { value: 'spock' } });
    expect(treeItems()).toEqual([
      'staging-2',
      'dev',
      'dev-spock-eu-west-1',
      'dev-spock-eu-west-1-rc',
    ]);

    fireEvent.change(filter, { target: { value: '' } });
    await userEvent.click(screen.getByLabelText('Status'));
    await userEvent.click(screen.getByRole('option', { name: 'failed' }));
    await userEvent.keyboard('{Escape}');
    expect(treeItems()).toEqual([
      'staging-2',
      'dev',
      'dev-kirk-us-east-2',
      'dev-kirk-us-east-2-mc1',
      // The payer failed to be read; it was open, so its environment shows too.
      'staging-1',
      'stage',
    ]);

    fireEvent.change(filter, { target: { value: 'no-such-account' } });
    expect(screen.getByText('Nothing matches the filter')).toBeInTheDocument();
  });

  it('keeps the typed filter in the address once typing pauses, and follows a link with another', async () => {
    function Address() {
      const { search } = useLocation();
      const navigate = useNavigate();
      return (
        <>
          <div data-testid="address">{search}</div>
          <button onClick={() => navigate('?q=spock')}>spock's regions</button>
        </>
      );
    }
    await renderTreeWithLocation(<Address />);
    const filter = await screen.findByLabelText(
      'Filter by name, id, email or tag',
    );

    await userEvent.type(filter, 'kirk-us');
    // The tree follows each keystroke; the address, the pause after them.
    expect(treeItems()).toContain('dev-kirk-us-east-2');
    expect(treeItems()).not.toContain('dev-spock-eu-west-1');
    await waitFor(
      () =>
        expect(screen.getByTestId('address')).toHaveTextContent('?q=kirk-us'),
      { timeout: 10_000 },
    );

    await userEvent.click(
      screen.getByRole('button', { name: "spock's regions" }),
    );
    expect(filter).toHaveValue('spock');
    expect(treeItems()).toContain('dev-spock-eu-west-1');
    expect(treeItems()).not.toContain('dev-kirk-us-east-2');

    // Leaving the field writes what was typed at once, without waiting for the pause.
    await userEvent.type(filter, '-eu');
    await userEvent.tab();
    expect(screen.getByTestId('address')).toHaveTextContent('?q=spock-eu');
  });

  it('badges the accounts and regions with open drift, linking to their findings', async () => {
    const listFindings = jest.fn(async () => driftFindings);
    await renderTree(async () => estateFixture(), listFindings);

    const mc0 = await screen.findByRole('treeitem', {
      name: 'dev-kirk-us-east-2-mc0',
    });
    expect(listFindings).toHaveBeenCalledWith({ status: 'open' });
    expect(within(mc0).getByRole('link', { name: '2 drift' })).toHaveAttribute(
      'href',
      '/account-minting/drift?region=dev-kirk-us-east-2',
    );
    // The region counts itself, for its finding on no account, and its drifted account.
    const region = screen.getByRole('treeitem', { name: 'dev-kirk-us-east-2' });
    expect(
      within(region).getByRole('link', { name: '2 drifted' }),
    ).toHaveAttribute(
      'href',
      '/account-minting/drift?region=dev-kirk-us-east-2',
    );
    expect(screen.getAllByRole('link', { name: /drift$/ })).toHaveLength(1);

    await userEvent.click(screen.getByLabelText('Status'));
    await userEvent.click(screen.getByRole('option', { name: 'drift' }));
    await userEvent.keyboard('{Escape}');
    expect(treeItems()).toEqual([
      'staging-2',
      'dev',
      'dev-kirk-us-east-2',
      'dev-kirk-us-east-2-mc0',
    ]);
  });

  it('rolls drift and failures up to the collapsed environment and payer, with counts', async () => {
    await renderTree(
      async () => estateFixture(),
      async () => driftFindings,
    );
    await screen.findByRole('link', { name: '2 drift' });
    await userEvent.click(screen.getByRole('button', { name: 'Collapse all' }));
    expect(treeItems()).toEqual(['staging-2', 'staging-1', 'control']);

    const staging2 = screen.getByRole('treeitem', { name: 'staging-2' });
    expect(
      within(staging2).getByRole('link', { name: '2 drifted' }),
    ).toHaveAttribute('href', '/account-minting/drift');
    expect(within(staging2).getByText('1 failed')).toBeInTheDocument();
    await userEvent.click(
      within(staging2).getByRole('button', { name: 'Expand staging-2' }),
    );
    const dev = screen.getByRole('treeitem', { name: 'dev' });
    expect(
      within(dev).getByRole('link', { name: '2 drifted' }),
    ).toHaveAttribute('href', '/account-minting/drift?environment=dev');
    expect(within(dev).getByText('1 failed')).toBeInTheDocument();
    // Nothing drifted or failed below control: it shows no counts.
    expect(
      screen.getByRole('treeitem', { name: 'control' }),
    ).not.toHaveTextContent(/drifted|\d failed/);
  });

  it('shows the tree without badges when the findings cannot be read', async () => {
    await renderTree(
      async () => estateFixture(),
      async () => {
        throw new Error('connect ECONNREFUSED');
      },
    );
    expect(
      await screen.findByRole('treeitem', { name: 'dev-kirk-us-east-2-mc0' }),
    ).toBeInTheDocument();
    expect(
      screen.queryByRole('link', { name: /drift$/ }),
    ).not.toBeInTheDocument();
  });

  it('says what to configure when there are no payers', async () => {
    await renderTree(async () => ({
      observedAt: '2026-11-28T10:00:00.000Z',
      platformOu: 'rosa-regional-platform',
      payers: [],
    }));
    expect(await screen.findByText('No payers configured')).toBeInTheDocument();
    expect(screen.getByText(/accountMinting.payers/)).toBeInTheDocument();
  });

  it('offers the form when no region exists yet', async () => {
    await renderTree(async () => ({
      ...estateFixture(),
      payers: [{ ...estateFixture().payers[1], error: undefined }],
    }));
    expect(await screen.findByText('No regions yet')).toBeInTheDocument();
    expect(
      screen.getByRole('button', { name: 'Request a region' }).closest('a'),
    ).toHaveAttribute('href', '/account-minting/new');
  });

  it('says the backend did not answer', async () => {
    await renderTree(async () => {
      throw new Error('connect ECONNREFUSED');
    });
    expect(
      await screen.findByText(/The estate could not be read/),
    ).toBeInTheDocument();
  });
});
