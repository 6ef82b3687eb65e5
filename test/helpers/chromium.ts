// Where the report test finds a Chromium-family browser: Debian's chromium here, Google Chrome on GitHub's
// Ubuntu runners; CHROMIUM_PATH overrides. Shared by the test and the suite's global setup (which installs
// one where it can), so both look in the same places.
import { existsSync } from 'node:fs';

export const CHROMIUM_CANDIDATES: readonly string[] = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'].filter(
  (p): p is string => !!p,
);

export function findChromium(): string | null {
  return CHROMIUM_CANDIDATES.find((p) => existsSync(p)) ?? null;
}

/** The one command that provisions it on a Debian/Ubuntu machine. */
export const INSTALL_CHROMIUM = 'sudo apt-get update && sudo apt-get install -y --no-install-recommends chromium';
