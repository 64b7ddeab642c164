import { defineConfig } from '@playwright/test';
import base from './playwright.config';

// Benchmarks of the portal in the same browser as the end-to-end tests, against the
// production build of the app (served by the benchmark itself), the sandbox and the backend.
export default defineConfig({
  ...base,
  testDir: 'packages/app/bench',
  testMatch: /.*\.bench\.ts$/,
  timeout: 300_000,
  reporter: [['list']],
  outputDir: 'test-results/bench',
  use: {
    ...base.use,
    launchOptions: {
      ...base.use!.launchOptions,
      args: [
        ...base.use!.launchOptions!.args!,
        // Pages the benchmark serves itself count as public to Chromium, which would
        // otherwise refuse their calls to the backend on the loopback address.
        '--disable-features=LocalNetworkAccessChecks',
      ],
    },
  },
  webServer: (base.webServer as { command: string }[]).filter(
    server => !server.command.endsWith('start app'),
  ),
});
