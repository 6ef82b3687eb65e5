import { defineConfig } from 'vitest/config';

// Tests spawn real daemons, workers and clients from the compiled dist/ tree (`pnpm test` builds first),
// so files run in forked processes and get generous hang guards; no test asserts on speed.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    pool: 'forks',
    testTimeout: 120_000,
    hookTimeout: 60_000,
    fileParallelism: true,
    maxWorkers: 2,
  },
});
