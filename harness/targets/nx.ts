// Nx (npm `nx`): its daemon computes the project graph for every `nx` command. Each round gets a minimal,
// git-initialised workspace with two projects and `node_modules/nx` pointing at the cached install; Nx runs
// offline (NX_NO_CLOUD) with the daemon forced on (NX_DAEMON, also under CI=true) and its sockets in the
// sandbox (NX_SOCKET_DIR). Half the workers run `nx daemon --start`, half `nx show projects` (a command that
// needs the daemon). Nx falls back to computing the graph in-process when its daemon fails, so a client can
// exit 0 after its daemon broke: that is recorded as a warning, and a daemon that disabled itself as a note.
import { existsSync, mkdirSync, readFileSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { binScript, npmTarget } from './install.js';
import { type Sandbox, sandboxEnv } from './sandbox.js';
import type { TargetProfile } from './types.js';
import { copyFixture, gitInit } from './workspace.js';

const PKG = 'nx';
const DEFAULT_VERSION = '23.2.1';
const nxBin = (root: string): string => binScript(join(root, 'node_modules', 'nx'), 'nx');
const daemonDir = (sb: Sandbox): string => join(sb.ws, '.nx', 'workspace-data', 'd');

/** A line of Nx's output that says its daemon failed (it then works without it). */
const DAEMON_TROUBLE = /daemon.*(not able|disabled|error|fail|could not)|ECONNRESET|ECONNREFUSED|EPIPE/i;

export const nx: TargetProfile = {
  name: 'nx',
  summary: 'the Nx daemon (npm nx): concurrent `nx daemon --start` and `nx show projects` in a fresh workspace',
  defaultExpect: 'single',
  expectWhy:
    'a user of Nx expects one daemon per workspace; duplicates, a daemon that disables itself or failing clients are findings (exit 1)',
  deadlineMs: 60_000,
  invariants: ['I1', 'I2', 'I3', 'I6', 'I7'],
  ...npmTarget('nx', PKG, DEFAULT_VERSION),
  async prepare(sb, target) {
    copyFixture('nx-workspace', sb.ws);
    mkdirSync(join(sb.ws, 'node_modules'), { recursive: true });
    symlinkSync(join(target.root, 'node_modules', 'nx'), join(sb.ws, 'node_modules', 'nx'), 'dir');
    mkdirSync(join(sb.run, 'nx'), { recursive: true, mode: 0o700 });
    gitInit(sb.ws, sandboxEnv(sb, process.env, false));
  },
  env: (sb) => ({ NX_NO_CLOUD: 'true', NX_DAEMON: 'true', NX_SOCKET_DIR: join(sb.run, 'nx') }),
  clients: (sb, target) => [
    { label: 'nx daemon --start', file: process.execPath, args: [nxBin(target.root), 'daemon', '--start'], cwd: sb.ws },
    { label: 'nx show projects', file: process.execPath, args: [nxBin(target.root), 'show', 'projects'], cwd: sb.ws },
  ],
  judgeClient(outcome) {
    const trouble = `${outcome.stdout}\n${outcome.stderr}`.split('\n').find((l) => DAEMON_TROUBLE.test(l));
    return trouble === undefined ? null : { warning: trouble.trim().slice(0, 300) };
  },
  daemonMatch: '/nx/(dist/)?(src/)?daemon/server/start\\.js',
  stopCommand: (sb, target) => ({
    label: 'nx daemon --stop',
    file: process.execPath,
    args: [nxBin(target.root), 'daemon', '--stop'],
    cwd: sb.ws,
  }),
  notes(sb) {
    const out: string[] = [];
    if (existsSync(join(daemonDir(sb), 'disabled')))
      out.push('the Nx daemon disabled itself (.nx/workspace-data/d/disabled) until `nx reset`');
    const errLog = join(daemonDir(sb), 'daemon-error.log');
    if (existsSync(errLog)) {
      const first = readFileSync(errLog, 'utf8')
        .split('\n')
        .find((l) => l.trim() !== '');
      if (first) out.push(`daemon-error.log: ${first.trim().replaceAll(sb.root, '<round>').slice(0, 200)}`);
    }
    return out;
  },
};
