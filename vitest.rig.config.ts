import { defineConfig } from 'vitest/config';
import base from './vitest.config.js';

// `pnpm test:rig`: the rig's long end-to-end tests — the whole quick bench and its regression gate, npm targets
// installed from the registry. Minutes on 2 cores, so they run as the CI gate's part `rig-tests`
// (ci/gate.sh), not in `pnpm test`, which stays quick enough to run on a busy machine.
export default defineConfig({
  ...base,
  test: { ...base.test, include: ['test/rig/**/*.test.ts'], exclude: ['**/node_modules/**'] },
});
