// The census's matcher: a 'program' signature is the daemon program (its executable, its entry, the marker) with
// the round's arguments, each whole — so a wrapper carrying the same words is not a daemon — and an external one
// is a regex plus the round's marker in the environment. Then real processes: a daemon-like entry file, and a
// wrapper around it, found (or not) through the kit's one process listing.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { findDaemons } from '../../../../harness/census/index.js';
import { carriesSignature } from '../../../../harness/census/match.js';
import { killAndWait } from '../../../../harness/engine/kill.js';
import type { DaemonSignature } from '../../../../harness/engine/strategy.js';
import { nowMs } from '../../../../src/clock.js';
import { daemonArgs, FBUILD_DAEMON } from '../../../../src/index.js';
import { every, pollUntil } from '../../../../src/poll.js';
import { childTarget, isAlive, terminateAll } from '../../../../src/process/index.js';
import { tempDirs } from '../../../helpers/tmp.js';

const newDir = tempDirs('fbuild-census-match-');
const started: ChildProcess[] = [];
afterEach(async () => {
  // SIGTERM first: `timeout` passes it on to the process it runs (SIGKILL would leave that one behind)
  await terminateAll(started.splice(0).map(childTarget), { signal: 'SIGTERM', graceMs: 5_000 });
});

const sig = (dir: string): DaemonSignature => ({ kind: 'program', program: FBUILD_DAEMON, args: daemonArgs(dir) });
const none = () => null;
const view = (argv: string[]) => ({ pid: null, argv, exe: null });

describe('census matching', () => {
  it('a program signature: the daemon entry with every argument whole, not a prefix, not a lookalike', () => {
    const s = sig('/tmp/fbr-abc');
    const entry = ['node', '/opt/kit/dist/bin/daemon.mjs'];
    expect(carriesSignature(s, view([...entry, '--fbuild-daemon', '--state-dir=/tmp/fbr-abc']), none)).toBe(true);
    expect(carriesSignature(s, view([...entry, '--fbuild-daemon', '--state-dir=/tmp/fbr-abcd']), none)).toBe(false);
    expect(carriesSignature(s, view([...entry, '--state-dir=/tmp/fbr-abc']), none)).toBe(false);
    // the words without the program: `node -e … -- <args>`, another script, a wrapper running the daemon
    const args = daemonArgs('/tmp/fbr-abc');
    expect(carriesSignature(s, view(['node', '-e', 'setInterval(() => {}, 1000)', '--', ...args]), none)).toBe(false);
    expect(carriesSignature(s, view(['node', '/opt/other/main.js', ...args]), none)).toBe(false);
    expect(carriesSignature(s, view(['timeout', '30', ...entry, ...args]), none)).toBe(false);
  });

  it('matches external daemons by regex and the round marker in their environment', () => {
    const ext = {
      kind: 'external' as const,
      regex: 'naive_daemon\\.py serve',
      envKey: 'FBUILD_RIG_ROUND',
      envValue: 'run-r1',
    };
    const argv = ['python3', '/f/naive_daemon.py', 'serve'];
    expect(carriesSignature(ext, view(argv), () => new Map([['FBUILD_RIG_ROUND', 'run-r1']]))).toBe(true);
    expect(carriesSignature(ext, view(argv), () => new Map([['FBUILD_RIG_ROUND', 'run-r2']]))).toBe(false);
    const client = ['python3', '/f/naive_daemon.py', 'client'];
    expect(carriesSignature(ext, view(client), () => new Map([['FBUILD_RIG_ROUND', 'run-r1']]))).toBe(false);
  });

  it.runIf(process.platform === 'linux')(
    'finds a daemon-like process by its entry file, not the wrapper that started it, and loses it once killed',
    async () => {
      const root = newDir();
      const entry = join(root, 'dist', 'bin', 'daemon.mjs');
      mkdirSync(join(root, 'dist', 'bin'), { recursive: true });
      writeFileSync(entry, 'setInterval(() => {}, 1000);\n');
      const state = join(root, 'state');
      // `timeout` carries the daemon's words too, but runs another program: only its node child is a daemon
      const wrapper = spawn('timeout', ['60', process.execPath, entry, ...daemonArgs(state)], { stdio: 'ignore' });
      started.push(wrapper);
      // until the child has exec'd (its argv shows in /proc); 10 s is only a hang guard on a loaded machine
      const seen = async () => {
        const now = await findDaemons(sig(state));
        return now.length > 0 ? now : undefined;
      };
      const found = await pollUntil(seen, { backoff: every(10), deadline: nowMs() + 10_000 });
      expect(found).toHaveLength(1);
      const [daemon] = found!;
      expect(daemon!.pid).not.toBe(wrapper.pid);
      expect(daemon!.startTime).toMatch(/^\d+$/);
      await killAndWait([daemon!.pid], 0);
      expect(isAlive(daemon!.pid)).toBe(false);
      expect(await findDaemons(sig(state))).toEqual([]);
    },
  );

  it.runIf(process.platform === 'linux')(
    'finds a process that retitled itself by its title alone (prettierd: `^prettierd$`), and only in its round',
    async () => {
      // Node's process.title writes the title over argv and NULs over the rest: /proc shows the title, then padding
      const title = `fbuild-retitled-${process.pid}`;
      const code = `process.title = ${JSON.stringify(title)}; setInterval(() => {}, 1000);`;
      const env = { ...process.env, FBUILD_RIG_ROUND: 'run-retitled-r1' };
      const child = spawn(process.execPath, ['-e', code, '--', 'a'.repeat(200)], { stdio: 'ignore', env });
      started.push(child);
      const ext = (envValue: string): DaemonSignature => ({
        kind: 'external',
        regex: `^${title}$`,
        envKey: 'FBUILD_RIG_ROUND',
        envValue,
      });
      const seen = async () => {
        const now = await findDaemons(ext('run-retitled-r1'));
        return now.length > 0 ? now : undefined;
      };
      // until it has started and retitled itself; 10 s is only a hang guard on a loaded machine
      const found = await pollUntil(seen, { backoff: every(10), deadline: nowMs() + 10_000 });
      expect(found?.map((p) => [p.pid, p.cmd])).toEqual([[child.pid, title]]);
      expect(await findDaemons(ext('run-retitled-r2'))).toEqual([]);
    },
  );
});
