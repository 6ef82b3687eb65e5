// Where the compiled entry points live. Processes the kit spawns (daemon, rig workers) always run compiled
// JS from dist/ — starting through a TypeScript loader would add 150+ ms to every cold start. When this
// module itself runs from TypeScript source (vitest), it maps to the same file under dist/.
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const fromSource = import.meta.url.endsWith('.ts');

/** The repository (package) root. */
export const projectRoot: string = fromSource ? resolve(here, '..') : resolve(here, '..', '..');

/** Absolute path of a compiled entry, given its path relative to the root without extension, e.g.
 * 'src/daemon/server/main'. */
export function entryPath(relNoExt: string): string {
  const path = join(projectRoot, 'dist', `${relNoExt}.js`);
  if (!existsSync(path)) {
    throw new Error(`compiled entry ${path} is missing: run \`pnpm build\` first`);
  }
  return path;
}

/** The bundled daemon entry (CommonJS: scripts/build.mjs says why): what ensureDaemon() spawns. */
export function daemonEntry(): string {
  return binEntry('daemon.cjs');
}

/** The bundled `fbuild` CLI entry (CommonJS: scripts/build.mjs says why). */
export function cliEntry(): string {
  return binEntry('fbuild.cjs');
}

function binEntry(name: string): string {
  const path = join(projectRoot, 'dist', 'bin', name);
  if (!existsSync(path)) throw new Error(`bundled entry ${path} is missing: run \`pnpm build\` first`);
  return path;
}
