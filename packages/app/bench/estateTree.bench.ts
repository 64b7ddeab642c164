import { expect, Page, test } from '@playwright/test';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';
import type {
  Estate,
  EstateAccount,
  EstateLastRun,
} from '@regional-minting/plugin-account-minting-common';

// Payer, environment and its region OUs: 1,000 region OUs of 3 accounts.
const LAYOUT: [string, string, number][] = [
  ['control', 'prod', 250],
  ['staging-1', 'stage', 250],
  ['staging-2', 'dev', 500],
];
const ACCOUNTS_PER_REGION = 3;
const RUNS = 7;

/** An estate of 3,000 accounts: 1,000 region OUs of 3 accounts, some failed, some running. */
function bigEstate(): Estate {
  const statusOf = (i: number): EstateLastRun['status'] => {
    if (i % 97 === 0) return 'failed';
    if (i % 89 === 0) return 'running';
    return 'succeeded';
  };
  const result = (i: number): EstateLastRun => ({
    runId: `run-${i}`,
    status: statusOf(i),
    startedAt: '2026-11-28T10:00:00.000Z',
    finishedAt: i % 89 === 0 ? undefined : '2026-11-28T10:04:00.000Z',
  });
  let n = 0;
  return {
    observedAt: new Date().toISOString(),
    platformOu: 'rosa-regional-platform',
    payers: LAYOUT.map(([payer, environment, regions], p) => ({
      name: payer,
      accountId: `${p + 2}00000000001`,
      platformOu: { name: 'rosa-regional-platform', id: `ou-${p}` },
      environments: [
        {
          name: environment,
          id: `ou-${p}-${environment}`,
          regions: Array.from({ length: regions }, (_, r) => {
            const name = `${environment}-owner${p}x${r}-us-east-2`;
            const accounts: EstateAccount[] = Array.from(
              { length: ACCOUNTS_PER_REGION },
              (__, a) => {
                n++;
                return {
                  name: `${name}-${['rc', 'mc0', 'mc1'][a]}`,
                  id: String(100000000000 + n),
                  email: `aws+${name}-${a}@example.com`,
                  status: 'ACTIVE',
                  role: a === 0 ? 'regional-cluster' : 'management-cluster',
                  tags: {
                    'managed-by': 'account-minting',
                    region: 'us-east-2',
                  },
                  desired: true,
                  observed: true,
                  lastRuns: {
                    mint: result(n),
                    bootstrap: result(n + 1),
                    provision: result(n + 2),
                  },
                };
              },
            );
            return {
              name,
              id: `ou-${name}`,
              desired: true,
              observed: true,
              source: 'request' as const,
              region: 'us-east-2',
              lastRun: result(n),
              accounts,
            };
          }),
        },
      ],
    })),
  };
}

const DIST = join(__dirname, '..', 'dist');
const TYPES: Record<string, string> = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
};

/**
 * Serves the app's production build (`yarn build` in packages/app) at the portal's
 * address, as a deployed portal is served; everything else goes to the backend.
 */
async function serveProductionApp(page: Page) {
  await page.route('http://localhost:3000/**', async route => {
    const { pathname } = new URL(route.request().url());
    const file = normalize(join(DIST, pathname));
    const body = await readFile(
      file.startsWith(DIST) && extname(file) ? file : join(DIST, 'index.html'),
    ).catch(() => readFile(join(DIST, 'index.html')));
    await route.fulfill({
      body,
      contentType: TYPES[extname(file)] ?? 'text/html',
    });
  });
}

function stats(values: number[]) {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.floor(q * (sorted.length - 1))];
  return `min ${at(0).toFixed(0)} ms, median ${at(0.5).toFixed(0)} ms, max ${at(
    1,
  ).toFixed(0)} ms`;
}

test('navigation to an interactive estate tree of 3,000 accounts', async ({
  page,
}) => {
  const estate = bigEstate();
  const accountCount = estate.payers
    .flatMap(p => p.environments)
    .flatMap(e => e.regions)
    .reduce((sum, r) => sum + r.accounts.length, 0);
  const body = JSON.stringify(estate);
  await serveProductionApp(page);
  // The backend's answer is served from memory: this measures the portal, not AWS.
  await page.route('**/api/account-minting/estate**', route =>
    route.fulfill({ contentType: 'application/json', body }),
  );

  await page.goto('/');
  await page.getByRole('button', { name: 'Enter' }).click();
  await page.getByRole('tree', { name: 'Estate' }).waitFor();

  const toRows: number[] = [];
  const toInteractive: number[] = [];
  const toFiltered: number[] = [];
  const inApp: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    // Within the portal: from another page through the sidebar, the app already loaded.
    await page.getByRole('tab', { name: 'Runs' }).click();
    await page.getByRole('table').first().waitFor();
    const clickedAt = await page.evaluate(() => performance.now());
    await page.getByRole('tab', { name: 'Estate' }).click();
    await page
      .getByRole('tree', { name: 'Estate' })
      .getByRole('treeitem')
      .first()
      .waitFor();
    inApp.push((await page.evaluate(() => performance.now())) - clickedAt);

    await page.goto('/account-minting');
    const tree = page.getByRole('tree', { name: 'Estate' });
    await tree.getByRole('treeitem').first().waitFor();
    // Since the navigation started, as the browser counts it.
    const rowsAt = await page.evaluate(() => performance.now());
    // Interactive: a click on a region opens it and its accounts are drawn.
    const region = tree.getByRole('button', { name: /^Expand / }).nth(2);
    await region.click();
    await tree.locator('[aria-level="4"]').first().waitFor();
    const interactiveAt = await page.evaluate(() => performance.now());
    const filterStart = Date.now();
    await page.getByLabel('Filter by name, id, email or tag').fill('owner1x7-');
    await expect(tree.locator('[aria-level="4"]')).toHaveCount(3);
    toFiltered.push(Date.now() - filterStart);
    toRows.push(rowsAt);
    toInteractive.push(interactiveAt);
  }
  // The first navigation also compiles and caches the bundle; it is left out.
  const report = [
    `estate tree: ${accountCount} accounts in ${
      estate.payers.length
    } payers, headless Chromium, production build, ${
      RUNS - 1
    } navigations after a warm-up`,
    `  navigation to first rows drawn:      ${stats(toRows.slice(1))}`,
    `  navigation to interactive (a region opened by a click and drawn): ${stats(
      toInteractive.slice(1),
    )}`,
    `  from the Runs tab to the tree drawn, within the loaded portal: ${stats(
      inApp.slice(1),
    )}`,
    `  typing a filter to its 3 matching accounts drawn: ${stats(
      toFiltered.slice(1),
    )}`,
  ].join('\n');
  // eslint-disable-next-line no-console
  console.log(report);
});
