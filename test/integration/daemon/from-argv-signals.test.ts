// A tool's daemon program (DaemonRuntime.fromArgv) ends on SIGTERM in every state of its runtime. fromArgv installs
// signal handlers, which replace Node's default of dying: a handler that only asked an owning runtime to stop left a
// program that had not claimed yet — or whose claim was refused (ALREADY_OWNED) while its host kept running —
// ignoring SIGTERM for good. The host here keeps its process up with a timer of its own, as a real host would.
import type { ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { eachLine } from '../../../harness/engine/lines.js';
import { requestDaemon } from '../../../src/daemon/client/request.js';
import { stopDaemon } from '../../../src/daemon/client/stop.js';
import type { DaemonDefinition } from '../../../src/daemon/shared/definition.js';
import { daemonArgs } from '../../../src/daemon/shared/signature.js';
import { projectRoot } from '../../../src/paths.js';
import { childTracker } from '../../helpers/procs.js';
import { tempDirs } from '../../helpers/tmp.js';

const dirs = tempDirs('fbuild-argv-signals-');
const children = childTracker();
/** hang guard: a host that ignores SIGTERM never ends; one that does ends in well under a second */
const GUARD_MS = 30_000;
const INDEX = new URL('../../../dist/src/index.js', import.meta.url).href;
const hello: DaemonDefinition = {
  name: 'hello',
  command: [process.execPath, join(projectRoot, 'examples', 'hello-daemon', 'hello-daemon.mjs')],
};

/** CLAIM=late: stays in `new` (says so); else starts, says `claimed` or the error code, and ends when the runtime does */
const HOST = `const { DaemonRuntime } = await import(${JSON.stringify(INDEX)});
const rt = DaemonRuntime.fromArgv(process.argv);
rt.register('greet', async (params) => ({ hello: params.who, pid: process.pid }));
const work = setInterval(() => undefined, 1_000);
if (process.env.CLAIM === 'late') process.stdout.write('new\\n');
else {
  try { await rt.start(); process.stdout.write('claimed\\n'); }
  catch (err) { process.stdout.write(err.code + '\\n'); }
  const reason = await rt.exited;
  process.stdout.write(reason.kind + '\\n');
  clearInterval(work);
}`;

/** the host as the kit's client would start it: its command, then the kit's arguments */
function startHost(stateDir: string, env: Record<string, string> = {}): ChildProcess {
  return children.start(process.execPath, ['--input-type=module', '-e', HOST, '--', ...daemonArgs(stateDir, 'hello')], {
    env: { ...process.env, ...env, FBUILD_DAEMON_DIR: stateDir },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
}

/** what the host says: its first line, and every line it said */
function linesOf(host: ChildProcess): { first: Promise<string | null>; all: string[] } {
  const all: string[] = [];
  const first = new Promise<string | null>((resolve) => {
    eachLine(host.stdout!, (line) => resolve(all.push(line) === 1 ? line : all[0]!));
    host.stdout!.once('close', () => resolve(null));
  });
  return { first, all };
}

/** how the host ended once sent SIGTERM, its output read to the end (the test's timeout is the hang guard) */
function termAndWait(host: ChildProcess): Promise<{ code: number | null; signal: string | null }> {
  const ended = new Promise<{ code: number | null; signal: string | null }>((resolve) =>
    host.once('close', (code, signal) => resolve({ code, signal })),
  );
  host.kill('SIGTERM');
  return ended;
}

describe('a daemon program started from argv', () => {
  it('ends on SIGTERM after its claim was refused (ALREADY_OWNED), and the owner is untouched', {
    timeout: GUARD_MS,
  }, async () => {
    const stateDir = dirs();
    const owner = await requestDaemon('greet', { who: 'first' }, { stateDir, daemon: hello });
    try {
      const host = startHost(stateDir);
      expect(await linesOf(host).first).toBe('ALREADY_OWNED');
      expect(await termAndWait(host)).toEqual({ code: null, signal: 'SIGTERM' });
      const again = await requestDaemon('greet', { who: 'again' }, { stateDir, daemon: hello });
      expect(again.identity.nonce).toBe(owner.identity.nonce);
    } finally {
      await stopDaemon({ stateDir, daemon: hello });
    }
  });

  it('ends on SIGTERM before it claims, and never claims', { timeout: GUARD_MS }, async () => {
    const stateDir = dirs();
    const host = startHost(stateDir, { CLAIM: 'late' });
    expect(await linesOf(host).first).toBe('new');
    expect(await termAndWait(host)).toEqual({ code: null, signal: 'SIGTERM' });
    expect(existsSync(join(stateDir, 'owner.json'))).toBe(false);
  });

  it('stops gracefully on SIGTERM once it owns the directory: released, then the host ends by itself', {
    timeout: GUARD_MS,
  }, async () => {
    const stateDir = dirs();
    const host = startHost(stateDir);
    const said = linesOf(host);
    expect(await said.first).toBe('claimed');
    expect(await termAndWait(host)).toEqual({ code: 0, signal: null });
    expect(said.all).toEqual(['claimed', 'signal']);
    expect(existsSync(join(stateDir, 'owner.json'))).toBe(false);
  });
});
