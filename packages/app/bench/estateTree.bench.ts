import { createHash } from 'node:crypto';
import { test } from '@playwright/test';
import { bigEstate } from './bigEstate';
import { bigRegionName } from './bigEstateSeed';
import {
  measurePortal,
  NAVIGATIONS,
  portalReport,
  serveProductionApp,
  signIn,
} from './portal';

test('navigation to an interactive estate tree of 3,000 accounts, against the catalog', async ({
  page,
}) => {
  const estate = bigEstate();
  const accountCount = estate.payers
    .flatMap(p => p.environments)
    .flatMap(e => e.regions)
    .reduce((sum, r) => sum + r.accounts.length, 0);
  const body = JSON.stringify(estate);
  await serveProductionApp(page);
  // The backend's answer is served from memory, as the backend answers it (an ETag, and a
  // 304 to a read that holds it): this measures the portal, not AWS.
  const etag = `W/"${createHash('sha1').update(body).digest('base64')}"`;
  await page.route('**/api/account-minting/estate**', route =>
    route.request().headers()['if-none-match'] === etag
      ? route.fulfill({ status: 304, headers: { ETag: etag } })
      : route.fulfill({
          contentType: 'application/json',
          headers: { ETag: etag, 'Access-Control-Expose-Headers': 'ETag' },
          body,
        }),
  );
  await signIn(page);
  const figures = await measurePortal(page, {
    openRegion: bigRegionName('prod', 0),
    filter: `${bigRegionName('dev', 17)}-`,
  });
  const report = [
    `estate tree (its /estate answered from memory): ${accountCount} accounts in ${
      estate.payers.length
    } payers, headless Chromium, production build, ${
      NAVIGATIONS - 1
    } navigations after a warm-up`,
    ...portalReport(figures),
  ].join('\n');
  // eslint-disable-next-line no-console
  console.log(report);
});
