// pm2 (npm `pm2`): its "God Daemon" runs the user's processes; every `pm2` command connects to it over the
// sockets in PM2_HOME and spawns one when it finds none. PM2_HOME is the round's sandbox (home/.pm2); half the
// workers run `pm2 ping`, half `pm2 ls`. Daemons are found by their process title, which names that home
// (`PM2 v7.0.4: God Daemon (<home>)`), with the round's environment marker. pm2 7.x races here: several God
// Daemons for one home, and clients that wait on a daemon that never answers them — each is bounded by the
// deadline, killed and recorded (CLIENT_HUNG, I6). After the clients, `pm2 kill`, then the rig ends by pid
// whatever the census attributes to the round (the sweep, and on an interrupt the run's clean-up).
import { join } from 'node:path';
import { binScript, npmTarget } from './install.js';
import type { Sandbox } from './sandbox.js';
import type { ClientCommand, TargetProfile } from './types.js';

const PKG = 'pm2';
const DEFAULT_VERSION = '7.0.4';
const MARKER = 'FBUILD_RIG_ROUND';
const bin = (root: string): string => binScript(join(root, 'node_modules', PKG), 'pm2');
const pm2Home = (sb: Sandbox): string => join(sb.home, '.pm2');
const escapeRegex = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

const command = (sb: Sandbox, root: string, ...args: string[]): ClientCommand => ({
  label: `pm2 ${args.join(' ')}`,
  file: process.execPath,
  args: [bin(root), ...args],
  cwd: sb.ws,
});

export const pm2: TargetProfile = {
  name: 'pm2',
  summary: "pm2's God Daemon (npm pm2): concurrent `pm2 ping` and `pm2 ls` with a fresh PM2_HOME",
  defaultExpect: 'single',
  expectWhy:
    'a user of pm2 expects one God Daemon per PM2_HOME; extra daemons or clients that hang until killed are findings (exit 1)',
  deadlineMs: 30_000,
  invariants: ['I1', 'I2', 'I3', 'I6', 'I7'],
  ...npmTarget('pm2', PKG, DEFAULT_VERSION),
  async prepare() {},
  // no telemetry, no update check, no colours in the messages the report keeps
  env: (sb) => ({ PM2_HOME: pm2Home(sb), PM2_DISCRETE_MODE: 'true', FORCE_COLOR: '0', NO_COLOR: '1' }),
  clients: (sb, t) => [command(sb, t.root, 'ping'), command(sb, t.root, 'ls')],
  daemonMatch: 'God Daemon',
  // the title names the round's PM2_HOME: a daemon of the user's own pm2 (another home) never matches
  signature: (sb) => ({
    kind: 'external',
    regex: `God Daemon \\(${escapeRegex(pm2Home(sb))}\\)`,
    envKey: MARKER,
    envValue: sb.roundId,
  }),
  stopCommand: (sb, t) => command(sb, t.root, 'kill'),
};
