import { expect, Page, test } from '@playwright/test';

/** A guest signs in and opens the account-minting page from the sidebar. */
async function openPortal(page: Page) {
  await page.goto('/');
  await page.getByRole('button', { name: 'Enter' }).click();
  const nav = page.getByRole('navigation', { name: 'sidebar nav' });
  await nav.getByRole('link', { name: 'Account Minting' }).click();
  await expect(page).toHaveURL(/\/account-minting$/);
}

/** Chooses an option of one of the portal's menu selects, named by its label. */
async function choose(page: Page, label: string, option: string) {
  await page.getByRole('button', { name: new RegExp(`^${label}`) }).click();
  await page.getByRole('option', { name: new RegExp(`^${option}\\b`) }).click();
}

test('a user decommissions a small dev region from its view, typing its name, and finds it decommissioned with its accounts closed', async ({
  page,
}, testInfo) => {
  test.setTimeout(480_000);
  // A new owner each time: the sandbox and the backend's database may outlive a test run.
  const owner = `dc${Date.now().toString(36).slice(-6)}`;
  const regionOu = `dev-${owner}-us-east-2`;
  const shot = (name: string) =>
    page.screenshot({
      path: testInfo.outputPath(`${name}.png`),
      fullPage: true,
    });

  // A small region in dev, where changes need no approval: its RC and one MC.
  await openPortal(page);
  await page.getByRole('tab', { name: 'New region' }).click();
  await choose(page, 'Environment', 'dev');
  await choose(page, 'Region', 'us-east-2');
  await page.getByLabel(/^Owner/).fill(owner);
  await page.getByLabel('Management cluster accounts').fill('1');
  await page.getByRole('button', { name: 'Request region' }).click();
  await expect(page).toHaveURL(/\/account-minting\/runs\/[0-9a-f-]+$/);
  await expect(page.getByTestId('run-status')).toHaveText(/succeeded/, {
    timeout: 150_000,
  });

  // The region view, from the estate tree's region row.
  await page.getByRole('tab', { name: 'Estate' }).click();
  await page.getByLabel('Filter by name, id, email or tag').fill(owner);
  await page
    .getByRole('tree', { name: 'Estate' })
    .getByRole('link', { name: regionOu, exact: true })
    .click();
  await expect(page).toHaveURL(
    new RegExp(`/account-minting/regions/${regionOu}$`),
  );
  await expect(page.getByTestId('region-status')).toHaveText('active');
  const accounts = page.getByRole('table', { name: 'accounts' });
  await expect(accounts.getByRole('row')).toHaveCount(3);
  await expect(accounts.getByText(/^\d{12}$/)).toHaveCount(2);
  await shot('1-region-view');

  // The dialog shows the plan first, and decommissions only once the name is typed.
  await page.getByRole('button', { name: 'Decommission region' }).click();
  const dialog = page.getByRole('dialog');
  const plan = dialog.getByRole('table', { name: 'plan' });
  await expect(plan.getByRole('row', { name: /^close-account/ })).toHaveCount(
    2,
  );
  await expect(
    plan.getByRole('row', { name: new RegExp(`^delete-ou .*${regionOu}`) }),
  ).toHaveCount(1);
  await expect(dialog.getByTestId('plan-close-quota')).toContainText(
    'in the 30-day window',
  );
  const confirm = dialog.getByRole('button', {
    name: 'Decommission',
    exact: true,
  });
  await expect(confirm).toBeDisabled();
  await dialog.getByLabel(`Type ${regionOu} to confirm`).fill(`${regionOu}x`);
  await expect(confirm).toBeDisabled();
  await dialog.getByLabel(`Type ${regionOu} to confirm`).fill(regionOu);
  await shot('2-decommission-dialog');
  await confirm.click();

  await dialog.getByRole('link', { name: 'its run' }).click();
  await expect(page).toHaveURL(/\/account-minting\/runs\/[0-9a-f-]+$/);
  await expect(page.getByTestId('run-status')).toHaveText(/succeeded/, {
    timeout: 300_000,
  });
  await shot('3-decommission-run');

  await page.goto(`/account-minting/regions/${regionOu}`);
  await expect(page.getByTestId('region-status')).toHaveText('decommissioned');
  await expect(page.getByText(/is decommissioned by /)).toBeVisible();
  await expect(
    page.getByRole('button', { name: 'Decommission region' }),
  ).toHaveCount(0);
  await shot('4-region-decommissioned');

  // Its accounts wait in the payer's closed OU, greyed with AWS's status.
  await page.goto(`/account-minting?q=${owner}`);
  const tree = page.getByRole('tree', { name: 'Estate' });
  for (const suffix of ['rc', 'mc']) {
    const account = tree.getByRole('treeitem', {
      name: `${regionOu}-${suffix}`,
    });
    await expect(account).toHaveAttribute('data-closed', 'true');
    await expect(account).toContainText(/SUSPENDED|PENDING_CLOSURE/);
  }
  await shot('5-estate-closed-accounts');
});
