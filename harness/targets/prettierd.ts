// prettierd (npm `@fsouza/prettierd`): prettier as a daemon, on core_d. A client pipes a file into `prettierd
// <file>` and gets it back formatted, starting the daemon (`node …/core_d/lib/daemon.js`, which retitles
// itself `prettierd`) when the dotfile it finds in its runtime directory ($XDG_RUNTIME_DIR/.prettierd, the
// round's sandbox) names none that answers. Workers format one of two small files of the round's workspace;
// `prettierd stop` ends it.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { binScript, npmTarget } from './install.js';
import type { Sandbox } from './sandbox.js';
import type { ClientCommand, TargetProfile } from './types.js';

const PKG = '@fsouza/prettierd';
const DEFAULT_VERSION = '0.29.0';
const bin = (root: string): string => binScript(join(root, 'node_modules', PKG), 'prettierd');

/** `prettierd <file> < <file>`: the file on stdin, as editors call it (the rig gives clients no stdin itself) */
const format = (sb: Sandbox, root: string, file: string): ClientCommand => ({
  label: `prettierd ${file} < ${file}`,
  file: '/bin/sh',
  args: ['-c', 'exec "$0" "$1" "$2" < "$2"', process.execPath, bin(root), file],
  cwd: sb.ws,
});

export const prettierd: TargetProfile = {
  name: 'prettierd',
  summary: 'prettierd (npm @fsouza/prettierd): concurrent `prettierd a.js < a.js` / `b.js` in a fresh runtime dir',
  defaultExpect: 'single',
  expectWhy: 'a user of prettierd expects one daemon per project; extra daemons or failed calls are findings (exit 1)',
  deadlineMs: 30_000,
  invariants: ['I1', 'I2', 'I3', 'I6', 'I7'],
  ...npmTarget('prettierd', PKG, DEFAULT_VERSION),
  async prepare(sb) {
    writeFileSync(join(sb.ws, 'a.js'), 'const a  =  1\n');
    writeFileSync(join(sb.ws, 'b.js'), "export function b( x ){ return x+'b' }\n");
  },
  env: () => ({}),
  clients: (sb, t) => [format(sb, t.root, 'a.js'), format(sb, t.root, 'b.js')],
  daemonMatch: '^prettierd$|core_d/lib/daemon\\.js',
  stopCommand: (sb, target) => ({
    label: 'prettierd stop',
    file: process.execPath,
    args: [bin(target.root), 'stop'],
    cwd: sb.ws,
  }),
};
