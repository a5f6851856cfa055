import { defineConfig } from 'vitest/config';

// Browser end-to-end tests: the built renderer in Debian's Chromium, bridged
// to the real core. Run after `npm run build`; one file at a time (each
// starts a browser), generous timeouts for a 2-core machine.
export default defineConfig({
  test: {
    include: ['test/e2e/**/*.e2e.test.ts'],
    environment: 'node',
    testTimeout: 60_000,
    hookTimeout: 60_000,
    fileParallelism: false,
    pool: 'forks',
  },
});
