import { DriftFinding } from '@regional-minting/plugin-account-minting-common';
import {
  estateFixture,
  regionNamed,
} from '@regional-minting/plugin-account-minting-common/testUtils';
import {
  accountStatus,
  buildEstateTree,
  driftByNode,
  rollUp,
  initiallyExpanded,
  visibleRows,
} from './estateModel';

const names = (rows: ReturnType<typeof visibleRows>) =>
  rows.map(r => r.node.name);

describe('the estate tree model', () => {
  const tree = buildEstateTree(estateFixture());
  const noFilter = { query: '', statuses: [] };

  it('gives each account the status that needs attention first', () => {
    const [kirk, spock, stray] =
      estateFixture().payers[0].environments[0].regions;
    expect(kirk.accounts.map(accountStatus)).toEqual([
      'succeeded',
      'succeeded',
      'failed',
    ]);
    expect(accountStatus(spock.accounts[0])).toBe('running');
    expect(accountStatus(stray.accounts[0])).toBe('unmanaged');
    expect(accountStatus({ ...spock.accounts[0], lastRuns: {} })).toBe(
      'missing',
    );
  });

  it('sums up the accounts below each node by status', () => {
    const [staging, stagingOne] = tree;
    expect(staging.accountCount).toBe(5);
    expect(staging.counts).toEqual({
      succeeded: 2,
      failed: 1,
      running: 1,
      unmanaged: 1,
    });
    expect(staging.status).toBe('failed');
    expect(stagingOne.status).toBe('failed');
    expect(stagingOne.payerError).toMatch(/AccessDenied/);
    const region = staging.children[0].children[1];
    expect(region.name).toBe('dev-spock-eu-west-1');
    expect(region.status).toBe('running');
  });

  it('opens payers, environments and, in a small estate, regions at first', () => {
    const rows = visibleRows(tree, initiallyExpanded(tree), noFilter);
    expect(names(rows)).toEqual([
      'staging-2',
      'dev',
      'dev-kirk-us-east-2',
      'dev-kirk-us-east-2-rc',
      'dev-kirk-us-east-2-mc0',
      'dev-kirk-us-east-2-mc1',
      'dev-spock-eu-west-1',
      'dev-spock-eu-west-1-rc',
      'dev-uhura-us-east-2',
      'stray-sandbox',
      'staging-1',
      'stage',
      'control',
      'prod',
      'prod-us-east-1',
      'prod-us-east-1-rc',
      'prod-us-east-1-mc0',
      'prod-us-east-1-old',
      'prod-eu-west-2',
      'prod-eu-west-2-rc',
    ]);
    expect(names(visibleRows(tree, new Set(), noFilter))).toEqual([
      'staging-2',
      'staging-1',
      'control',
    ]);
  });

  it('opens the branches that hold a text match, and shows only the matches', () => {
    const rows = visibleRows(tree, new Set(), { query: 'MC1', statuses: [] });
    expect(names(rows)).toEqual([
      'staging-2',
      'dev',
      'dev-kirk-us-east-2',
      'dev-kirk-us-east-2-mc1',
    ]);
    expect(rows.slice(0, 3).every(r => r.expanded)).toBe(true);
  });

  it('matches an account by a tag key, or key=value, as well as by its value', () => {
    const accounts = (query: string) =>
      visibleRows(tree, new Set(), { query, statuses: [] })
        .filter(r => r.node.kind === 'account')
        .map(r => r.node.name);
    const kirk = [
      'dev-kirk-us-east-2-rc',
      'dev-kirk-us-east-2-mc0',
      'dev-kirk-us-east-2-mc1',
    ];
    expect(accounts('managed-by=account-minting region=us-east-2')).toEqual([
      ...kirk,
      'stray-sandbox',
    ]);
    // An account AWS does not have yet has no tags to find.
    expect(accounts('managed-by')).not.toContain('dev-spock-eu-west-1-rc');
    expect(accounts('managed-by')).toEqual(
      expect.arrayContaining([...kirk, 'stray-sandbox']),
    );
    expect(accounts('region=eu-west-1')).toEqual([]);
  });

  it("matches an account by its ancestors' names, its id, email or tags", () => {
    expect(
      names(visibleRows(tree, new Set(), { query: 'spock rc', statuses: [] })),
    ).toContain('dev-spock-eu-west-1-rc');
    expect(
      visibleRows(tree, new Set(), {
        query: 'aws+stray-sandbox@example.com',
        statuses: [],
      }).pop()!.node.name,
    ).toBe('stray-sandbox');
  });

  it("carries each OU's service control policies, and finds a region by one", () => {
    const estate = estateFixture();
    const staging2 = estate.payers.find(p => p.name === 'staging-2')!;
    staging2.platformOu.policies = ['no-root-user'];
    const dev = staging2.environments.find(e => e.name === 'dev')!;
    dev.regions.find(r => r.name === 'dev-kirk-us-east-2')!.policies = [
      'iam-only-by-account-minting',
    ];
    const withPolicies = buildEstateTree(estate);
    expect(withPolicies.find(n => n.name === 'staging-2')!.policies).toEqual([
      'no-root-user',
    ]);
    const rows = visibleRows(withPolicies, new Set(), {
      query: 'iam-only',
      statuses: [],
    });
    const region = rows.find(r => r.node.name === 'dev-kirk-us-east-2')!;
    expect(region.node.policies).toEqual(['iam-only-by-account-minting']);
  });

  it('filters by status: failed accounts, regions not in AWS', () => {
    expect(
      names(visibleRows(tree, new Set(), { query: '', statuses: ['failed'] })),
    ).toEqual([
      'staging-2',
      'dev',
      'dev-kirk-us-east-2',
      'dev-kirk-us-east-2-mc1',
      'staging-1',
    ]);
    expect(
      names(
        visibleRows(tree, new Set(), { query: '', statuses: ['unmanaged'] }),
      ),
    ).toEqual([
      'staging-2',
      'dev',
      'dev-uhura-us-east-2',
      'stray-sandbox',
      'control',
      'prod',
      'prod-us-east-1',
      'prod-us-east-1-old',
      'prod-eu-west-2',
      'prod-eu-west-2-rc',
    ]);
    expect(
      visibleRows(tree, new Set(), {
        query: 'nothing-like-this',
        statuses: [],
      }),
    ).toEqual([]);
  });

  it('rolls up what drifted or failed below each payer, environment and region OU', () => {
    const finding = (region: string, account?: string) =>
      ({ region, account } as DriftFinding);
    const findings = [
      finding('dev-kirk-us-east-2', 'dev-kirk-us-east-2-mc0'),
      finding('dev-kirk-us-east-2', 'dev-kirk-us-east-2-mc0'),
      finding('dev-kirk-us-east-2', 'dev-kirk-us-east-2-rc'),
      finding('prod-us-east-1'),
    ];
    const rollups = rollUp(tree, driftByNode(tree, findings));
    const of = (id: string) => rollups.get(id);
    const kirk = 'payer:staging-2/dev/dev-kirk-us-east-2';
    // Two drifted accounts, however many findings each has; mc1's provisioning failed.
    expect(of(kirk)).toEqual({ drifted: 2, failed: 1 });
    expect(of('payer:staging-2/dev')).toEqual({ drifted: 2, failed: 1 });
    expect(of('payer:staging-2')).toEqual({ drifted: 2, failed: 1 });
    // A finding on no account is the region OU's own.
    expect(of('payer:control/prod/prod-us-east-1')).toEqual({
      drifted: 1,
      failed: 0,
    });
    expect(of('payer:control')).toEqual({ drifted: 1, failed: 0 });
    // Nothing to show below the unreadable payer, nor on accounts themselves.
    expect(of('payer:staging-1')).toBeUndefined();
    expect(of(`${kirk}/dev-kirk-us-east-2-mc1`)).toBeUndefined();
  });

  it('counts a region OU whose run failed with no failed account, and not twice when one did', () => {
    const estate = estateFixture();
    const spock = regionNamed(estate, 'dev-spock-eu-west-1');
    spock.lastRun = { ...spock.lastRun!, status: 'failed' };
    regionNamed(estate, 'dev-kirk-us-east-2').lastRun!.status = 'failed';
    const failedTree = buildEstateTree(estate);
    const rollups = rollUp(failedTree, new Map());
    expect(rollups.get('payer:staging-2/dev/dev-spock-eu-west-1')).toEqual({
      drifted: 0,
      failed: 1,
    });
    expect(rollups.get('payer:staging-2/dev/dev-kirk-us-east-2')).toEqual({
      drifted: 0,
      failed: 1,
    });
    expect(rollups.get('payer:staging-2')).toEqual({ drifted: 0, failed: 2 });
  });
});
