import { defineConfig } from 'vitest/config';

// Integration tests share one real Redis (each file under its own key prefix) and
// spawn real HTTP servers on loopback; two workers match the 2-core machines.
export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 20_000,
    hookTimeout: 30_000,
  },
});
