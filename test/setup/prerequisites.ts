// Runs once before the suite (vitest globalSetup): makes sure what the tests need from the machine is there,
// so `pnpm test` passes on a fresh machine of this kind without a separate setup step. Where it can (root,
// apt-get), it installs what is missing with ci/system-packages.sh — the same script CI uses; otherwise it
// stops at once with the one command to run, rather than letting a test fail half-way through.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../../src/paths.js';
import { CHROMIUM_CANDIDATES, INSTALL_CHROMIUM, findChromium } from '../helpers/chromium.js';

export default function setup(): void {
  // off Linux only test/portable.json runs (vitest.config.ts), and the report test is not among those files
  if (process.platform !== 'linux' || findChromium() !== null) return;
  const canInstall = process.getuid?.() === 0 && existsSync('/usr/bin/apt-get');
  if (canInstall) {
    process.stderr.write('pnpm test: no Chromium-family browser (the report test needs one); installing Debian chromium …\n');
    const r = spawnSync('bash', [join(projectRoot, 'ci/system-packages.sh')], { stdio: 'inherit' });
    if (r.status === 0 && findChromium() !== null) return;
  }
  throw new Error(
    `the report test needs a Chromium-family browser and none was found (looked for ${CHROMIUM_CANDIDATES.join(', ')}).\n` +
      `Install one with:\n  ${INSTALL_CHROMIUM}\nor point CHROMIUM_PATH at an existing Chrome/Chromium binary, then run pnpm test again.`,
  );
}
