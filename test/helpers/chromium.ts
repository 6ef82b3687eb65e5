// Where the report test finds a Chromium-family browser: Debian's chromium here, Google Chrome on GitHub's
// Ubuntu runners; CHROMIUM_PATH overrides. Shared by the test and the suite's global setup (which installs
// one where it can), so both look in the same places.
import { existsSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { type Browser, chromium, type Page } from 'playwright-core';

export const CHROMIUM_CANDIDATES: readonly string[] = [
  process.env.CHROMIUM_PATH,
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome',
].filter((p): p is string => !!p);

export function findChromium(): string | null {
  return CHROMIUM_CANDIDATES.find((p) => existsSync(p)) ?? null;
}

/** The one command that provisions it on a Debian/Ubuntu machine. */
export const INSTALL_CHROMIUM = 'sudo apt-get update && sudo apt-get install -y --no-install-recommends chromium';

const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Headless Chromium for the report tests; a missing browser is a failure with the fix in the message, never a skip. */
export async function launchChromium(): Promise<Browser> {
  const path = findChromium();
  if (path === null) {
    throw new Error(
      `no Chromium found (looked for ${CHROMIUM_CANDIDATES.join(', ')}): install it with \`${INSTALL_CHROMIUM}\`; this test does not skip`,
    );
  }
  return chromium.launch({ executablePath: path, args: ARGS });
}

/** What a self-contained page must not do: log errors, throw, or request anything but itself. */
export function watchPage(page: Page, file: string): { consoleErrors: string[]; requests: string[] } {
  const seen = { consoleErrors: [] as string[], requests: [] as string[] };
  page.on('console', (msg) => {
    if (msg.type() === 'error') seen.consoleErrors.push(msg.text());
  });
  page.on('pageerror', (err) => seen.consoleErrors.push(err.message));
  page.on('request', (req) => {
    if (req.url() !== pathToFileURL(file).href) seen.requests.push(req.url());
  });
  return seen;
}
