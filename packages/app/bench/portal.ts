import { Page } from '@playwright/test';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';

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

/** How many navigations each figure is the median of, after one warm-up. */
export const NAVIGATIONS = 7;

/**
 * Serves the app's production build (`yarn build` in packages/app) at the portal's
 * address, as a deployed portal is served; everything else goes to the backend.
 */
export async function serveProductionApp(page: Page) {
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

/** Signs in as the guest, as the portal's sign-in page offers. */
export async function signIn(page: Page) {
  await page.goto('/');
  await page.getByRole('button', { name: 'Enter' }).click();
  await page
    .getByRole('navigation', { name: 'sidebar nav' })
    .waitFor({ state: 'attached' });
}

/** The median of some figures, the first (the warm-up, which compiles and caches the bundle) left out. */
export function median(values: number[]): number {
  const sorted = values.slice(1).sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2
    ? sorted[middle]
    : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** min, median and max of some figures after the warm-up, in milliseconds. */
export function stats(values: number[]): string {
  const sorted = values.slice(1).sort((a, b) => a - b);
  return `min ${sorted[0].toFixed(0)} ms, median ${median(values).toFixed(
    0,
  )} ms, max ${sorted[sorted.length - 1].toFixed(0)} ms`;
}

/**
 * When something is first drawn, in milliseconds since the page's navigation started:
 * looked for at every animation frame in the page itself, so that the figure is the
 * frame it appeared in, not the next time a test tool happened to look.
 */
async function drawnAt(
  page: Page,
  selector: string,
  count?: number,
): Promise<number> {
  const handle = await page.waitForFunction(
    ([css, n]) => {
      const found = document.querySelectorAll(css).length;
      return (n === null ? found > 0 : found === n) && performance.now();
    },
    [selector, count ?? null] as const,
    { polling: 'raf', timeout: 120_000 },
  );
  return (await handle.jsonValue()) as number;
}

const TREE = '[role="tree"][aria-label="Estate"]';
const TREE_ROW = `${TREE} [role="treeitem"]`;
const ACCOUNT_ROW = `${TREE} [role="treeitem"][aria-level="4"]`;

/**
 * Runs an action and answers when its event (`click`, `input`) reached the page, in
 * milliseconds since the page's navigation started: the user's action itself, not the
 * test tool's checks before it (that the element is visible, stable and not covered).
 */
async function eventTime(
  page: Page,
  type: string,
  action: () => Promise<void>,
): Promise<number> {
  await page.evaluate(eventType => {
    const clock = window as unknown as { eventAt?: number };
    delete clock.eventAt;
    document.addEventListener(
      eventType,
      () => {
        clock.eventAt = performance.now();
      },
      { capture: true, once: true },
    );
  }, type);
  await action();
  return page.evaluate(
    () => (window as unknown as { eventAt: number }).eventAt,
  );
}

/**
 * The baseline: a page of the same portal that draws nothing of account minting, the
 * catalog's index with its table's rows drawn, from a navigation of its own.
 */
export async function navigateToCatalog(page: Page): Promise<number> {
  // Every group of the organization: rows with links, as the estate's are.
  await page.goto('/catalog?filters%5Bkind%5D=group&filters%5Buser%5D=all');
  return drawnAt(page, 'table tbody tr td a');
}

/** The tree's figures: first rows drawn, and a region opened by a click and drawn (interactive). */
export async function navigateToEstate(
  page: Page,
  openRegion: string,
): Promise<{ rows: number; interactive: number }> {
  await page.goto('/account-minting');
  const rows = await drawnAt(page, TREE_ROW);
  await page
    .getByRole('tree', { name: 'Estate' })
    .getByRole('button', { name: `Expand ${openRegion}` })
    .click();
  const interactive = await drawnAt(
    page,
    `${TREE} [role="treeitem"][aria-label="${openRegion}-rc"]`,
  );
  return { rows, interactive };
}

/** From a click on the Estate tab, the Runs tab shown, to the tree's rows drawn, within the loaded portal. */
export async function switchToEstateTab(page: Page): Promise<number> {
  await page.getByRole('tab', { name: 'Runs' }).click();
  await page.locator(TREE).waitFor({ state: 'detached' });
  const clickedAt = await eventTime(page, 'click', () =>
    page.getByRole('tab', { name: 'Estate' }).click(),
  );
  return (await drawnAt(page, TREE_ROW)) - clickedAt;
}

/** From a filter typed (its input event) to its matching accounts drawn. */
export async function filterTo(
  page: Page,
  text: string,
  matches: number,
): Promise<number> {
  const typedAt = await eventTime(page, 'input', () =>
    page.getByLabel('Filter by name, id, email or tag').fill(text),
  );
  return (await drawnAt(page, ACCOUNT_ROW, matches)) - typedAt;
}

/** The report's lines of the portal's figures, each with its ratio to the baseline navigation. */
export function portalReport(figures: {
  catalog: number[];
  rows: number[];
  interactive: number[];
  tab: number[];
  filter: number[];
}): string[] {
  const baseline = median(figures.catalog);
  const ratio = (values: number[]) =>
    `${(median(values) / baseline).toFixed(2)} × the catalog`;
  return [
    `  baseline, navigation to the catalog's index drawn:   ${stats(
      figures.catalog,
    )}`,
    `  navigation to first rows drawn:                      ${stats(
      figures.rows,
    )} = ${ratio(figures.rows)}`,
    `  navigation to interactive (a region opened and drawn): ${stats(
      figures.interactive,
    )} = ${ratio(figures.interactive)}`,
    `  from the Runs tab to the tree drawn, portal loaded:   ${stats(
      figures.tab,
    )}`,
    `  a filter typed to its 3 matching accounts drawn:     ${stats(
      figures.filter,
    )}`,
  ];
}

/** Measures the portal's figures, each navigation preceded by the baseline's. */
export async function measurePortal(
  page: Page,
  options: { openRegion: string; filter: string },
) {
  const figures = {
    catalog: [] as number[],
    rows: [] as number[],
    interactive: [] as number[],
    tab: [] as number[],
    filter: [] as number[],
  };
  for (let run = 0; run < NAVIGATIONS; run++) {
    figures.catalog.push(await navigateToCatalog(page));
    const { rows, interactive } = await navigateToEstate(
      page,
      options.openRegion,
    );
    figures.rows.push(rows);
    figures.interactive.push(interactive);
    figures.filter.push(await filterTo(page, options.filter, 3));
    figures.tab.push(await switchToEstateTab(page));
  }
  return figures;
}
