// This repository's own daemon as a target, so every table of targets has our row measured the same way:
// N processes run `fbuild daemon start --json` (the bundled CLI from dist/), the census finds daemons by their
// argv markers (which name the round's state dir), and `fbuild daemon stop` ends it.
import { daemonArgs, FBUILD_DAEMON } from '../../src/index.js';
import { cliEntry, projectRoot } from '../../src/paths.js';
import { installedVersion } from './install.js';
import type { TargetProfile } from './types.js';

export const hardenedTarget: TargetProfile = {
  name: 'hardened',
  summary: "this repository's daemon: concurrent `fbuild daemon start --json` (the same row as every other target)",
  defaultExpect: 'single',
  expectWhy: 'the product guarantees one daemon (I1–I7); anything else is a bug',
  deadlineMs: 30_000,
  invariants: ['I1', 'I2', 'I3', 'I6', 'I7'],
  async locate() {
    try {
      cliEntry();
    } catch {
      return { installed: false, why: 'dist/ is not built (pnpm build)', installable: false };
    }
    return {
      installed: true,
      location: {
        name: 'hardened',
        version: installedVersion(projectRoot) ?? 'unknown',
        source: 'built-in',
        root: projectRoot,
      },
    };
  },
  async prepare() {},
  env: () => ({}),
  clients: (sb) => [
    {
      label: 'fbuild daemon start --json',
      file: process.execPath,
      args: [cliEntry(), 'daemon', 'start', '--json'],
      cwd: sb.ws,
    },
  ],
  judgeClient(outcome) {
    try {
      const j = JSON.parse(outcome.stdout) as {
        daemon?: { pid?: unknown; startTime?: unknown; nonce?: unknown };
        started?: unknown;
      };
      if (typeof j.daemon?.pid !== 'number')
        return { error: `no daemon identity in its output: ${outcome.stdout.slice(0, 200)}` };
      return {
        daemon: {
          pid: j.daemon.pid,
          startTime: typeof j.daemon.startTime === 'string' ? j.daemon.startTime : null,
          nonce: typeof j.daemon.nonce === 'string' ? j.daemon.nonce : null,
        },
        spawned: j.started === true,
      };
    } catch {
      return { error: `output is not JSON: ${outcome.stdout.slice(0, 200)}` };
    }
  },
  daemonMatch: null,
  signature: (sb) => ({ kind: 'program', program: FBUILD_DAEMON, args: daemonArgs(sb.state) }),
  stopCommand: (sb) => ({
    label: 'fbuild daemon stop',
    file: process.execPath,
    args: [cliEntry(), 'daemon', 'stop'],
    cwd: sb.ws,
  }),
};
