import { defineConfig } from '@playwright/test';
import base from './playwright.config';

// Benchmarks of the portal: the same browser and servers as the end-to-end tests.
export default defineConfig({
  ...base,
  testDir: 'packages/app/bench',
  testMatch: /.*\.bench\.ts$/,
  timeout: 300_000,
  reporter: [['list']],
  outputDir: 'test-results/bench',
});
