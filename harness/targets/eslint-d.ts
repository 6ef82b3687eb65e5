// eslint_d (npm `eslint_d`): a client that lints through a background eslint server, starting it when its
// config file is missing or stale. eslint_d keeps that file (`.eslint_d`: token, port, pid) beside the eslint
// it resolved from the working directory, so each round's workspace gets its own node_modules — hard links
// to the cached install — and a fresh file. Every worker lints one file of a small, clean fixture project.
import { join } from 'node:path';
import { binScript, npmTarget } from './install.js';
import type { TargetProfile } from './types.js';
import { copyFixture, linkTree } from './workspace.js';

const PKG = 'eslint_d';
const DEFAULT_VERSION = '14.3.0';
const bin = (ws: string): string => binScript(join(ws, 'node_modules', 'eslint_d'), 'eslint_d');

export const eslintD: TargetProfile = {
  name: 'eslint_d',
  summary: 'eslint_d (npm eslint_d): concurrent `eslint_d src/a.js` / `src/b.js` lint calls on a small project',
  defaultExpect: 'single',
  expectWhy:
    'a user of eslint_d expects one server per project; extra servers left running or failed lint calls are findings (exit 1)',
  deadlineMs: 30_000,
  invariants: ['I1', 'I2', 'I3', 'I6', 'I7'],
  ...npmTarget('eslint_d', PKG, DEFAULT_VERSION),
  async prepare(sb, target) {
    copyFixture('eslint-project', sb.ws);
    linkTree(join(target.root, 'node_modules'), join(sb.ws, 'node_modules'));
  },
  // the workspace's own eslint, never eslint_d's bundled one (which would share one `.eslint_d` across rounds)
  env: () => ({ ESLINT_D_MISS: 'fail' }),
  clients: (sb) => [
    { label: 'eslint_d src/a.js', file: process.execPath, args: [bin(sb.ws), 'src/a.js'], cwd: sb.ws },
    { label: 'eslint_d src/b.js', file: process.execPath, args: [bin(sb.ws), 'src/b.js'], cwd: sb.ws },
  ],
  // once loaded, the server retitles itself (`eslint_d - <project name>` in 14.x); before that it is node
  // …/lib/daemon.js
  daemonMatch: '^eslint_d( |$)|eslint_d/lib/daemon\\.js',
  stopCommand: (sb) => ({ label: 'eslint_d stop', file: process.execPath, args: [bin(sb.ws), 'stop'], cwd: sb.ws }),
};
