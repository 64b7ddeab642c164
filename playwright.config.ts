import { defineConfig } from '@playwright/test';

// End-to-end tests drive Debian's Chromium (never a browser Playwright downloads)
// against the portal that the test command starts here.
export default defineConfig({
  testDir: 'packages/app/e2e-tests',
  timeout: 60_000,
  expect: { timeout: 30_000 },
  forbidOnly: !!process.env.CI,
  retries: 0,
  workers: 1,
  reporter: [
    ['list'],
    ['html', { open: 'never', outputFolder: 'e2e-test-report' }],
  ],
  outputDir: 'test-results/e2e',

  webServer: [
    {
      command: 'node .yarn/releases/yarn-4.13.0.cjs sandbox --port 4566',
      url: 'http://127.0.0.1:4566/_sandbox/health',
      reuseExistingServer: !process.env.CI,
      timeout: 60_000,
    },
    {
      command: 'node .yarn/releases/yarn-4.13.0.cjs start backend',
      url: 'http://localhost:7007/api/account-minting/health',
      reuseExistingServer: !process.env.CI,
      timeout: 180_000,
      stdout: 'ignore',
    },
    {
      command: 'node .yarn/releases/yarn-4.13.0.cjs start app',
      url: 'http://localhost:3000',
      reuseExistingServer: !process.env.CI,
      timeout: 180_000,
    },
  ],

  use: {
    baseURL: 'http://localhost:3000',
    browserName: 'chromium',
    launchOptions: {
      executablePath: '/usr/bin/chromium',
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
      ],
    },
    // Tall enough that each view's screenshot shows it whole: the portal scrolls inside its page.
    viewport: { width: 1440, height: 1400 },
    actionTimeout: 30_000,
    screenshot: 'only-on-failure',
    trace: 'retain-on-failure',
  },
});
