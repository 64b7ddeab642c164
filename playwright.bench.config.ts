import { defineConfig } from '@playwright/test';
import base from './playwright.config';
import { writeBigEstateSeed } from './packages/app/bench/bigEstateSeed';

type WebServer = { command: string; env?: Record<string, string> };

// The sandbox starts from an estate of 3,000 accounts in 1,000 region OUs, which the
// backend's real GET /estate reads (estateBackend.bench.ts).
const seed = writeBigEstateSeed();

// Benchmarks of the portal in the same browser as the end-to-end tests, against the
// production build of the app (served by the benchmark itself), the sandbox and the backend.
export default defineConfig({
  ...base,
  testDir: 'packages/app/bench',
  testMatch: /.*\.bench\.ts$/,
  timeout: 900_000,
  reporter: [['list']],
  outputDir: 'test-results/bench',
  use: {
    ...base.use,
    // The test tool's own recording (DOM snapshots at each action) would be measured too.
    trace: 'off',
    screenshot: 'off',
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
  webServer: (base.webServer as WebServer[])
    .filter(server => !server.command.endsWith('start app'))
    .map(server => {
      if (server.command.includes(' sandbox ')) {
        return { ...server, command: `${server.command} --seed ${seed}` };
      }
      // A database of its own: the development portal's regions are not the benchmark's.
      return {
        ...server,
        env: {
          ...server.env,
          APP_CONFIG_backend_database_connection_directory:
            '../../.sandbox/bench-database',
        },
      };
    }),
});
