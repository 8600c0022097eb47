import { defineConfig } from 'vitest/config';

// Integration tests share one real Redis (each file under its own key prefix) and
// spawn real HTTP servers on loopback; two workers match the 2-core machines.
export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    // dist/ for the tests that run the compiled bot and CLI (tests/support/build-dist.ts).
    globalSetup: ['tests/support/build-dist.ts'],
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 20_000,
    hookTimeout: 30_000,
  },
});
