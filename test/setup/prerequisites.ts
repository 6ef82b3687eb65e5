// Runs once before the suite (vitest globalSetup): makes sure what the tests need from the machine is there,
// so `pnpm test` passes on a fresh machine of this kind without a separate setup step. Where it can (root,
// apt-get), it installs what is missing with ci/system-packages.sh — the same script CI uses; otherwise it
// stops at once with the one command to run, rather than letting a test fail half-way through.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { hasSocat } from '../../fixtures/serial/launch.js';
import { projectRoot } from '../../src/paths.js';
import { CHROMIUM_CANDIDATES, findChromium, INSTALL_CHROMIUM } from '../helpers/chromium.js';

export default function setup(): void {
  if (process.platform === 'linux') ensureSocat();
  // off Linux only test/portable.json runs (vitest.config.ts), and the report test is not among those files
  if (process.platform !== 'linux' || findChromium() !== null) return;
  const canInstall = process.getuid?.() === 0 && existsSync('/usr/bin/apt-get');
  if (canInstall) {
    process.stderr.write(
      'pnpm test: no Chromium-family browser (the report test needs one); installing Debian chromium …\n',
    );
    const r = spawnSync('bash', [join(projectRoot, 'ci/system-packages.sh')], { stdio: 'inherit' });
    if (r.status === 0 && findChromium() !== null) return;
  }
  throw new Error(
    `the report test needs a Chromium-family browser and none was found (looked for ${CHROMIUM_CANDIDATES.join(', ')}).\n` +
      `Install one with:\n  ${INSTALL_CHROMIUM}\nor point CHROMIUM_PATH at an existing Chrome/Chromium binary, then run pnpm test again.`,
  );
}

// the serial tests' devices are socat pseudo-terminal pairs (fixtures/serial/pty-device.ts)
function ensureSocat(): void {
  if (hasSocat()) return;
  if (process.getuid?.() === 0 && existsSync('/usr/bin/apt-get')) {
    process.stderr.write('pnpm test: no socat (the serial tests need it); installing Debian socat …\n');
    spawnSync('bash', [join(projectRoot, 'ci/system-packages.sh')], { stdio: 'inherit' });
    if (hasSocat()) return;
  }
  throw new Error(
    'the serial tests need socat (linked pseudo-terminals) and it was not found. Install it with:\n  sudo apt-get install -y socat',
  );
}
