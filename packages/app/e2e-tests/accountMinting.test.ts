import { expect, Page, test } from '@playwright/test';
import {
  OrganizationsClient,
  TagResourceCommand,
} from '@aws-sdk/client-organizations';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';

const SANDBOX = `http://127.0.0.1:${process.env.E2E_SANDBOX_PORT ?? '4566'}`;

/**
 * Tags an account of a payer's organization by hand, as the payer's minting role: what a
 * person in the AWS console would do. The account is found by its name in the sandbox.
 */
async function tagByHand(
  payerId: string,
  accountName: string,
  tags: Record<string, string>,
) {
  const state = await (await fetch(`${SANDBOX}/_sandbox/state`)).json();
  const account = state.accounts.find(
    (a: { name: string }) => a.name === accountName,
  );
  expect(account, `account ${accountName} in the sandbox`).toBeDefined();
  const aws = { region: 'us-east-1', endpoint: SANDBOX };
  const { Credentials } = await new STSClient({
    ...aws,
    credentials: {
      accessKeyId: 'AKIASANDBOXCENTRAL01',
      secretAccessKey: 'sandbox-central-account-secret-key',
    },
  }).send(
    new AssumeRoleCommand({
      RoleArn: `arn:aws:iam::${payerId}:role/AccountMinter`,
      RoleSessionName: 'by-hand',
    }),
  );
  await new OrganizationsClient({
    ...aws,
    credentials: {
      accessKeyId: Credentials!.AccessKeyId!,
      secretAccessKey: Credentials!.SecretAccessKey!,
      sessionToken: Credentials!.SessionToken,
    },
  }).send(
    new TagResourceCommand({
      ResourceId: account.id,
      Tags: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })),
    }),
  );
}

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

test('a guest finds the account-minting page with its backend ready', async ({
  page,
}) => {
  await openPortal(page);
  await expect(
    page.getByRole('heading', { name: 'Account Minting', level: 1 }),
  ).toBeVisible();
  await expect(page.getByRole('tree', { name: 'Estate' })).toBeVisible();
  // A healthy backend is not worth a word: the page says something only when there is trouble.
  await expect(page.getByTestId('backend-trouble')).toHaveCount(0);
});

test('a user requests a dev region through the form, follows its run to success and finds its accounts', async ({
  page,
}, testInfo) => {
  test.setTimeout(180_000);
  // A new owner each time: the sandbox and the backend's database may outlive a test run.
  const owner = `e2e${Date.now().toString(36).slice(-5)}`;
  const regionOu = `dev-${owner}-us-east-2`;
  const shot = (name: string) =>
    page.screenshot({
      path: testInfo.outputPath(`${name}.png`),
      fullPage: true,
    });

  await openPortal(page);
  await expect(page.getByRole('tree', { name: 'Estate' })).toBeVisible();
  await shot('1-estate');

  await page.getByRole('tab', { name: 'New region' }).click();
  await choose(page, 'Environment', 'dev');
  await choose(page, 'Region', 'us-east-2');
  // An owner that makes the accounts' names too long is refused beside Owner as it is typed.
  await page.getByLabel(/^Owner/).fill('o'.repeat(40));
  await expect(
    page.getByText(
      /^Owner makes the account name ".*" \d+ characters long; at most 50/,
    ),
  ).toBeVisible();
  await expect(
    page.getByRole('button', { name: 'Request region' }),
  ).toBeDisabled();
  await shot('1b-new-region-owner-too-long');
  await page.getByLabel(/^Owner/).fill(owner);
  await expect(page.getByText(regionOu).first()).toBeVisible();

  await page.getByRole('button', { name: 'Preview plan' }).click();
  const plan = page.getByRole('table', { name: 'plan' });
  // The region OU, and its environment's and the platform's OUs on a fresh sandbox.
  await expect(
    plan.getByRole('row', {
      name: new RegExp(
        `^create-ou Root/rosa-regional-platform/dev/${regionOu} `,
      ),
    }),
  ).toHaveCount(1);
  await expect(plan.getByRole('row', { name: /create-account/ })).toHaveCount(
    3,
  );
  await shot('2-new-region-plan');

  await page.getByRole('button', { name: 'Request region' }).click();
  await expect(page).toHaveURL(/\/account-minting\/runs\/[0-9a-f-]+$/);
  await expect(
    page.getByRole('figure', { name: 'Run timeline' }),
  ).toBeVisible();
  await expect(page.getByTestId('run-status')).toHaveText(/succeeded/, {
    timeout: 150_000,
  });
  await shot('3-run-succeeded');

  // A step selected is in the address: the link opens the run on it, saying what it did.
  const timeline = page.getByRole('figure', { name: 'Run timeline' });
  await timeline
    .getByRole('button', { name: new RegExp(`${regionOu}-rc`) })
    .first()
    .click();
  await expect(page).toHaveURL(/[?&]step=/);
  await page.reload();
  await expect(
    timeline.locator('button[aria-pressed="true"]', {
      hasText: `${regionOu}-rc`,
    }),
  ).toHaveCount(1);
  await expect(
    page.getByText(/Created account \d{12} and moved it to OU /),
  ).toBeVisible();
  await shot('3b-run-step-selected');

  await page.getByRole('tab', { name: 'Estate' }).click();
  await page.getByLabel('Filter by name, id, email or tag').fill(owner);
  const tree = page.getByRole('tree', { name: 'Estate' });
  const accounts = tree.locator('[role="treeitem"][aria-level="4"]');
  await expect(accounts).toHaveCount(3);
  for (const suffix of ['rc', 'mc0', 'mc1']) {
    await expect(
      tree.getByRole('treeitem', { name: `${regionOu}-${suffix}` }),
    ).toHaveAttribute('data-status', 'succeeded');
  }
  // The filter reaches the address, to be shared, once typing pauses.
  await expect(page).toHaveURL(new RegExp(`[?&]q=${owner}(&|$)`));
  await shot('4-estate-with-region');

  await tree.getByRole('link', { name: `${regionOu}-rc` }).click();
  await expect(
    page.getByText(`Root / rosa-regional-platform / dev / ${regionOu}`),
  ).toBeVisible();
  await expect(
    page.getByRole('table', { name: 'pipeline runs' }).getByText('succeeded'),
  ).toHaveCount(3);
  await shot('5-account');

  await page.getByRole('tab', { name: 'Runs' }).click();
  await expect(
    page.getByRole('link', { name: regionOu }).first(),
  ).toBeVisible();
  await shot('6-runs');

  // A drift check of the new region's layers, started from the Drift view, finds nothing.
  await page.getByRole('tab', { name: 'Drift' }).click();
  const mintCheck = page.getByRole('listitem', { name: 'mint check' });
  await mintCheck.getByRole('button', { name: 'Check mint now' }).click();
  await expect(mintCheck.getByRole('link', { name: /^checked/ })).toBeVisible({
    timeout: 60_000,
  });
  await shot('7-drift-check');
  await page.goto(`/account-minting/drift?region=${regionOu}`);
  await expect(
    page.getByText('No finding matches these filters'),
  ).toBeVisible();
  await shot('8-drift');
});

test('a user creates a region from the "New region" template and finds its accounts in the catalog with their card', async ({
  page,
}, testInfo) => {
  test.setTimeout(180_000);
  const owner = `tpl${Date.now().toString(36).slice(-5)}`;
  const regionOu = `dev-${owner}-us-east-2`;
  const shot = (name: string) =>
    page.screenshot({
      path: testInfo.outputPath(`${name}.png`),
      fullPage: true,
    });

  await openPortal(page);
  await page
    .getByRole('navigation', { name: 'sidebar nav' })
    .getByRole('link', { name: 'Create' })
    .click();
  await page
    .locator('article, div')
    .filter({ hasText: /^regionNew region/ })
    .getByRole('button', { name: 'Choose' })
    .first()
    .click();
  await page.getByLabel('Environment').click();
  await page.getByRole('option', { name: 'dev' }).click();
  await page.getByLabel('AWS region').click();
  await page.getByRole('option', { name: 'us-east-2' }).click();
  await page.getByLabel('Owner').fill(owner);
  await shot('t1-template-form');
  await page.getByRole('button', { name: 'Review' }).click();
  await page.getByRole('button', { name: 'Create' }).click();

  const runLink = page.getByRole('link', { name: /The region's run/ });
  await expect(runLink).toBeVisible({ timeout: 150_000 });
  await shot('t2-task-done');
  const href = await runLink.getAttribute('href');
  expect(href).toMatch(/\/account-minting\/runs\/[0-9a-f-]+$/);
  await page.goto(href!);
  await expect(page.getByTestId('run-status')).toHaveText(/succeeded/);

  // The catalog has the accounts once the run is announced; the card shows their pipelines.
  await expect(async () => {
    await page.goto(`/catalog/default/resource/${regionOu}-rc`);
    await expect(
      page.getByText('Account Minting', { exact: false }).first(),
    ).toBeVisible({
      timeout: 2_000,
    });
    await expect(
      page.getByRole('heading', { name: `${regionOu}-rc` }),
    ).toBeVisible({
      timeout: 2_000,
    });
  }).toPass({ timeout: 60_000 });
  await expect(page.getByText('mint', { exact: true }).first()).toBeVisible();
  await shot('t3-catalog-card');
});

/** Signs in as one of the sign-in page's development users, such as "Operator (dev)". */
async function signInAs(page: Page, title: string) {
  await page
    .getByRole('listitem')
    .filter({ hasText: title })
    .getByRole('button', { name: 'Sign In' })
    .click();
}

test('an operator requests a prod region, which waits until an approver approves it, then mints', async ({
  browser,
}, testInfo) => {
  test.setTimeout(240_000);
  const regionOu = 'prod-eu-west-2';
  // Each identity in a browser context of its own, as two people at two desks.
  const operator = await (await browser.newContext()).newPage();
  const approver = await (await browser.newContext()).newPage();
  const shot = (page: Page, name: string) =>
    page.screenshot({
      path: testInfo.outputPath(`${name}.png`),
      fullPage: true,
    });

  await operator.goto('/account-minting/new');
  await signInAs(operator, 'Operator (dev)');
  await choose(operator, 'Environment', 'prod');
  await choose(operator, 'Region', 'eu-west-2');
  await expect(
    operator.getByText(
      /Changes in prod wait for 1 approval by group:default\/platform-approvers/,
    ),
  ).toBeVisible();
  // Where approvers read the plan, the requester reads it first.
  const request = operator.getByRole('button', {
    name: 'Request region for approval',
  });
  await expect(request).toBeDisabled();
  await operator.getByRole('button', { name: 'Preview plan' }).click();
  await expect(operator.getByRole('table', { name: 'plan' })).toBeVisible();
  await request.click();

  const dialog = operator.getByRole('dialog');
  await dialog.getByLabel('Reason (required)').fill('the second prod region');
  await dialog.getByLabel(`Type ${regionOu} to confirm`).fill(regionOu);
  await dialog
    .getByRole('button', { name: 'Request region for approval' })
    .click();
  await expect(operator).toHaveURL(/\/account-minting\/approvals\/[0-9a-f-]+$/);
  await expect(operator.getByTestId('change-status')).toHaveText('pending');
  await expect(operator.getByTestId('change-approvals')).toContainText(
    '0 of 1',
  );
  // The requester is no approver: nothing to approve with.
  await expect(operator.getByRole('button', { name: 'Approve' })).toHaveCount(
    0,
  );
  await shot(operator, '1-change-pending');
  const changeUrl = operator.url();

  await approver.goto(changeUrl);
  await signInAs(approver, 'Approver (dev)');
  await expect(approver.getByTestId('change-status')).toHaveText('pending');
  await approver.getByLabel('Comment').fill('looks right');
  await approver.getByRole('button', { name: 'Approve' }).click();
  await expect(approver.getByTestId('change-status')).toHaveText('started');
  await shot(approver, '2-change-approved');

  // The requester's page follows: the run started, and mints the region.
  await expect(operator.getByTestId('change-status')).toHaveText('started');
  await operator.getByRole('link', { name: /^[0-9a-f-]{36}$/ }).click();
  await expect(operator.getByTestId('run-status')).toHaveText(/succeeded/, {
    timeout: 180_000,
  });
  await shot(operator, '3-run-succeeded');

  // Someone retags the region's regional cluster by hand. prod reports drift rather than
  // repairing it: the next check finds it, the table shows the difference key by key,
  // and the estate rolls it up to the payer and the environment.
  await tagByHand('200000000001', `${regionOu}-rc`, { environment: 'dev' });
  await operator.getByRole('tab', { name: 'Drift' }).click();
  const mintCheck = operator.getByRole('listitem', { name: 'mint check' });
  const lastCheck = () =>
    mintCheck
      .getByRole('link', { name: /^checked/ })
      .getAttribute('href', { timeout: 2_000 })
      .catch(() => null);
  const checkedBefore = await lastCheck();
  await mintCheck.getByRole('button', { name: 'Check mint now' }).click();
  await expect(async () => {
    const checked = await lastCheck();
    expect(checked).not.toBeNull();
    expect(checked).not.toBe(checkedBefore);
  }).toPass({ timeout: 60_000 });
  await operator.goto(`/account-minting/drift?region=${regionOu}`);
  await operator
    .getByRole('button', { name: /^Details of / })
    .first()
    .click();
  await expect(
    operator.getByRole('list', { name: 'Differences (desired → observed)' }),
  ).toContainText('environment: prod → dev');
  await shot(operator, '4-drift-finding');

  await operator.getByRole('tab', { name: 'Estate' }).click();
  await expect(
    operator
      .getByRole('treeitem', { name: 'control' })
      .getByText(/\d+ drifted/),
  ).toBeVisible();
  await shot(operator, '5-estate-drift-rolled-up');
});
