import { APIRequestContext, expect, test } from '@playwright/test';
import type { Estate } from '@regional-minting/plugin-account-minting-common';
import {
  ACCOUNTS_PER_REGION,
  BIG_ESTATE_LAYOUT,
  bigRegionName,
} from './bigEstateSeed';
import {
  measurePortal,
  NAVIGATIONS,
  portalReport,
  serveProductionApp,
  signIn,
  stats,
} from './portal';

// The sandbox of this benchmark starts from the big estate's seed (playwright.bench.config.ts).
const SANDBOX = `http://127.0.0.1:${process.env.E2E_SANDBOX_PORT ?? '4566'}`;
const BACKEND = `http://localhost:${process.env.E2E_BACKEND_PORT ?? '7007'}`;
/** AWS's largest page of ListOrganizationalUnitsForParent and ListAccountsForParent. */
const PAGE = 20;

/**
 * The fewest Organizations calls that read the big estate's tree with its tags: per payer its
 * root, a page of the root's OUs and of the platform OU's, the pages of each environment's
 * region OUs and of each region OU's accounts, and one tag read per account.
 */
function pagingMinimum(): number {
  const pages = (n: number) => Math.max(1, Math.ceil(n / PAGE));
  return BIG_ESTATE_LAYOUT.reduce(
    (sum, [, , regions]) =>
      sum +
      1 + // ListRoots
      1 + // the root's OUs: the platform OU
      1 + // the platform OU's: one environment
      pages(regions) +
      regions * pages(ACCOUNTS_PER_REGION) +
      regions * ACCOUNTS_PER_REGION, // ListTagsForResource
    0,
  );
}

/** The sandbox's Organizations calls since the last clear, by operation. */
async function organizationsCalls(request: APIRequestContext) {
  const { calls } = await (
    await request.get(`${SANDBOX}/_sandbox/calls`)
  ).json();
  const byOperation: Record<string, number> = {};
  for (const call of calls as { service: string; operation: string }[]) {
    if (call.service !== 'organizations') continue;
    byOperation[call.operation] = (byOperation[call.operation] ?? 0) + 1;
  }
  return byOperation;
}

test('the real path: GET /estate of 3,000 accounts from the sandbox, then the portal on it', async ({
  page,
  request,
}) => {
  const token = (
    await (await request.get(`${BACKEND}/api/auth/guest/refresh`)).json()
  ).backstageIdentity.token;
  /** A GET /estate, timed to its whole answer received (before this side parses it). */
  const getEstate = async (query = '', ifNoneMatch?: string) => {
    const startedAt = performance.now();
    const response = await request.get(
      `${BACKEND}/api/account-minting/estate${query}`,
      {
        headers: {
          Authorization: `Bearer ${token}`,
          ...(ifNoneMatch ? { 'If-None-Match': ifNoneMatch } : {}),
        },
        timeout: 600_000,
      },
    );
    await response.body();
    const ms = performance.now() - startedAt;
    expect(response.status()).toBe(ifNoneMatch ? 304 : 200);
    return { ms, response };
  };

  await request.delete(`${SANDBOX}/_sandbox/calls`);
  const refreshed = await getEstate('?refresh=true');
  const calls = await organizationsCalls(request);
  const total = Object.values(calls).reduce((a, b) => a + b, 0);
  const estate: Estate = await refreshed.response.json();
  const etag = refreshed.response.headers().etag;
  const accounts = estate.payers
    .flatMap(p => p.environments)
    .flatMap(e => e.regions)
    .reduce((sum, r) => sum + r.accounts.length, 0);
  expect(accounts).toBe(
    BIG_ESTATE_LAYOUT.reduce((s, [, , r]) => s + r, 0) * ACCOUNTS_PER_REGION,
  );

  await request.delete(`${SANDBOX}/_sandbox/calls`);
  const cached: number[] = [];
  const unchanged: number[] = [];
  for (let i = 0; i < NAVIGATIONS; i++) {
    cached.push((await getEstate()).ms);
    // As the portal reads it again: with the ETag of the answer it holds.
    unchanged.push((await getEstate('', etag)).ms);
  }
  const cachedCalls = await organizationsCalls(request);

  await serveProductionApp(page);
  await signIn(page);
  const figures = await measurePortal(page, {
    openRegion: bigRegionName('prod', 0),
    filter: `${bigRegionName('dev', 17)}-`,
  });

  const report = [
    `estate on the real path: ${accounts} accounts in ${BIG_ESTATE_LAYOUT.reduce(
      (s, [, , r]) => s + r,
      0,
    )} region OUs of ${
      BIG_ESTATE_LAYOUT.length
    } payers in the sandbox (instant profile), the backend's GET /estate, headless Chromium, production build`,
    `  GET /estate?refresh=true: ${refreshed.ms.toFixed(
      0,
    )} ms, ${total} Organizations calls against the paging minimum of ${pagingMinimum()} (${Object.entries(
      calls,
    )
      .map(([operation, n]) => `${n} ${operation}`)
      .join(', ')})`,
    `  GET /estate from the backend's snapshot, its ${(
      (await refreshed.response.body()).length / 1e6
    ).toFixed(1)} MB received: ${stats(cached)}`,
    `  the same read again unchanged (If-None-Match, a 304): ${stats(
      unchanged,
    )}; ${Object.values(cachedCalls).reduce(
      (a, b) => a + b,
      0,
    )} Organizations calls for both`,
    ...portalReport(figures),
  ].join('\n');
  // eslint-disable-next-line no-console
  console.log(report);
});
