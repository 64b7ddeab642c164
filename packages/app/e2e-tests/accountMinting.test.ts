import { expect, test } from '@playwright/test';

test('a guest signs in and finds the account-minting page with its backend ready', async ({
  page,
}, testInfo) => {
  await page.goto('/');

  await page.getByRole('button', { name: 'Enter' }).click();

  const nav = page.getByRole('navigation', { name: 'sidebar nav' });
  await nav.getByRole('link', { name: 'Account Minting' }).click();

  await expect(page).toHaveURL(/\/account-minting$/);
  await expect(
    page.getByRole('heading', { name: 'Account Minting', level: 1 }),
  ).toBeVisible();
  await expect(page.getByTestId('backend-status')).toContainText(
    'Backend ready: database better-sqlite3',
  );

  await page.screenshot({
    path: testInfo.outputPath('account-minting-page.png'),
    fullPage: true,
  });
});
