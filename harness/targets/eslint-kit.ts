// eslint-kit (examples/eslint-kit in this repository): eslint_d's everyday use rebuilt on the kit — a client
// that lints through a daemon keeping the project's ESLint loaded. Beside `eslint_d` on the same fixture project,
// so the two rows compare: every worker runs `eslint-kit src/a.js` or `src/b.js`; the workspace's
// node_modules/eslint is this repository's eslint (a devDependency), and the daemon lives in the round's state
// directory (ESLINT_KIT_DIR), where the census finds it by its argv markers.
import { existsSync, mkdirSync, symlinkSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { type DaemonDefinition, daemonArgs, programOf } from '../../src/index.js';
import { projectRoot } from '../../src/paths.js';
import { installedVersion } from './install.js';
import type { TargetProfile } from './types.js';
import { copyFixture } from './workspace.js';

const EXAMPLE = join(projectRoot, 'examples', 'eslint-kit');
/** the client CLI, run with this Node */
export const eslintKitClient = join(EXAMPLE, 'eslint-kit.mjs');
export const ESLINT_KIT: DaemonDefinition = {
  name: 'eslint-kit',
  command: [process.execPath, join(EXAMPLE, 'eslint-kit-daemon.mjs')],
};

/** this repository's eslint, or null when it is not installed (pnpm install) */
function repoEslint(): string | null {
  try {
    return dirname(createRequire(join(projectRoot, 'package.json')).resolve('eslint/package.json'));
  } catch {
    return null;
  }
}

export const eslintKit: TargetProfile = {
  name: 'eslint-kit',
  summary: "this repository's eslint_d drop-in on the kit: concurrent `eslint-kit src/a.js` / `src/b.js` lint calls",
  defaultExpect: 'single',
  expectWhy: 'eslint-kit promises one daemon per state directory, whatever the number of clients (I1–I7)',
  deadlineMs: 30_000,
  invariants: ['I1', 'I2', 'I3', 'I6', 'I7'],
  async locate() {
    if (!existsSync(join(projectRoot, 'dist', 'src', 'index.js')))
      return { installed: false, why: 'dist/ is not built (pnpm build)', installable: false };
    const eslint = repoEslint();
    if (eslint === null)
      return { installed: false, why: "this repository's eslint is not installed (pnpm install)", installable: false };
    return {
      installed: true,
      location: {
        name: 'eslint-kit',
        version: installedVersion(projectRoot) ?? 'unknown',
        source: 'built-in',
        root: projectRoot,
      },
    };
  },
  async prepare(sb) {
    copyFixture('eslint-project', sb.ws);
    mkdirSync(join(sb.ws, 'node_modules'), { recursive: true });
    symlinkSync(repoEslint()!, join(sb.ws, 'node_modules', 'eslint'), 'dir');
  },
  env: (sb) => ({ ESLINT_KIT_DIR: sb.state }),
  clients: (sb) => [
    { label: 'eslint-kit src/a.js', file: process.execPath, args: [eslintKitClient, 'src/a.js'], cwd: sb.ws },
    { label: 'eslint-kit src/b.js', file: process.execPath, args: [eslintKitClient, 'src/b.js'], cwd: sb.ws },
  ],
  daemonMatch: null,
  signature: (sb) => ({ kind: 'program', program: programOf(ESLINT_KIT), args: daemonArgs(sb.state, ESLINT_KIT.name) }),
  stopCommand: (sb) => ({
    label: 'eslint-kit stop',
    file: process.execPath,
    args: [eslintKitClient, 'stop'],
    cwd: sb.ws,
  }),
};
