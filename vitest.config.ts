import { readFileSync } from 'node:fs';
import { defineConfig } from 'vitest/config';

// Tests spawn real daemons, workers and clients from the compiled dist/ tree (`pnpm test` builds first),
// so files run in forked processes and get generous hang guards; no test asserts on speed.
// FBUILD_JUNIT=<file> adds vitest's JUnit reporter (.ci/run sets it), so CI runs exactly `pnpm test`.
const junit = process.env.FBUILD_JUNIT;
// Off Linux only the platform-neutral files run (test/portable.json says why the others need Linux).
const portable: { why: string; files: string[] } = JSON.parse(
  readFileSync(new URL('test/portable.json', import.meta.url), 'utf8'),
);
if (process.platform !== 'linux')
  console.log(
    `${process.platform}: running the ${portable.files.length} test files of test/portable.json — ${portable.why}`,
  );

export default defineConfig({
  test: {
    include: process.platform === 'linux' ? ['test/**/*.test.ts'] : portable.files,
    // the rig's long end-to-end tests are the CI gate's (vitest.rig.config.ts, `pnpm test:rig`)
    exclude: ['test/rig/**', '**/node_modules/**'],
    // provisions what the tests need from the machine (a Chromium for the report test), or stops with the command
    globalSetup: ['test/setup/prerequisites.ts'],
    pool: 'forks',
    testTimeout: 120_000,
    hookTimeout: 60_000,
    fileParallelism: true,
    maxWorkers: 2,
    reporters: junit ? ['default', ['junit', { outputFile: junit }]] : ['default'],
  },
});
