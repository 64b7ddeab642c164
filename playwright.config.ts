import { defineConfig } from '@playwright/test';

// End-to-end tests drive Debian's Chromium (never a browser Playwright downloads)
// against the portal that the test command starts here. `./minting test` gives it free
// ports, so that two test runs on one machine do not meet; alone, it uses the usual ones.
const ports = {
  sandbox: process.env.E2E_SANDBOX_PORT ?? '4566',
  backend: process.env.E2E_BACKEND_PORT ?? '7007',
  app: process.env.E2E_APP_PORT ?? '3000',
  metrics: process.env.E2E_METRICS_PORT ?? '9464',
};
const appUrl = `http://localhost:${ports.app}`;
const backendUrl = `http://localhost:${ports.backend}`;
// Backstage reads APP_CONFIG_* over app-config.yaml, in the backend and in the app's build.
const portalConfig = {
  APP_CONFIG_app_baseUrl: appUrl,
  APP_CONFIG_backend_baseUrl: backendUrl,
  APP_CONFIG_backend_listen_port: ports.backend,
  APP_CONFIG_backend_cors_origin: appUrl,
  APP_CONFIG_accountMinting_aws_endpoint: `http://127.0.0.1:${ports.sandbox}`,
  // The backend's Prometheus metrics (packages/backend/src/instrumentation.js).
  OTEL_EXPORTER_PROMETHEUS_PORT: ports.metrics,
  // A database made afresh for each run by ./minting test, as the sandbox's estate is:
  // the tests' regions, such as prod-eu-west-2, are new each time. Alone, the portal's own.
  APP_CONFIG_backend_database_connection_directory:
    process.env.E2E_DATABASE_DIR ?? '../../.sandbox/database',
};

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
      command: `node .yarn/releases/yarn-4.13.0.cjs sandbox --port ${ports.sandbox}`,
      url: `http://127.0.0.1:${ports.sandbox}/_sandbox/health`,
      reuseExistingServer: !process.env.CI,
      timeout: 60_000,
    },
    {
      command: 'node .yarn/releases/yarn-4.13.0.cjs start backend',
      url: `${backendUrl}/api/account-minting/health`,
      env: portalConfig,
      reuseExistingServer: !process.env.CI,
      timeout: 180_000,
      stdout: 'ignore',
    },
    {
      command: 'node .yarn/releases/yarn-4.13.0.cjs start app',
      url: appUrl,
      env: portalConfig,
      reuseExistingServer: !process.env.CI,
      timeout: 180_000,
    },
  ],

  use: {
    baseURL: appUrl,
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
