import { defineConfig } from 'vitest/config';

/**
 * End-to-end tests: a real Chromium against the built web renderer and an in-process server
 * (and a real Electron app when a binary is installed). One file at a time in one fork: each
 * test drives a whole browser, and parallel browsers only make timings flaky.
 */
export default defineConfig({
  test: {
    include: ['tests/e2e/**/*.e2e.test.ts'],
    environment: 'node',
    globalSetup: ['tests/e2e/support/globalSetup.ts'],
    testTimeout: 120_000,
    hookTimeout: 180_000,
    pool: 'forks',
    fileParallelism: false,
    maxWorkers: 1,
    // A failing e2e step prints what the page showed; no retries hiding flakiness.
    retry: 0,
  },
});
