// Any program as the daemon (docs/embedding.md): examples/hello-daemon's client and daemon program, run as real
// processes. The singleton holds for a tool's daemon as for fbuild's own, and two tools never share a state
// directory's owner record.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { nowMs } from '../../../src/clock.js';
import { ensureDaemon } from '../../../src/daemon/client/ensure.js';
import { probeDaemon } from '../../../src/daemon/client/probe.js';
import { requestDaemon } from '../../../src/daemon/client/request.js';
import { stopDaemon } from '../../../src/daemon/client/stop.js';
import { type DaemonDefinition, FBUILD_DEFINITION } from '../../../src/daemon/shared/definition.js';
import { daemonArgs, daemonProcessCheck, programOf } from '../../../src/daemon/shared/signature.js';
import { isFbuildError } from '../../../src/errors.js';
import { projectRoot } from '../../../src/paths.js';
import { pollUntil } from '../../../src/poll.js';
import { isAlive } from '../../../src/process/index.js';
import { runFbuild } from '../../helpers/cli.js';
import { carryingSync } from '../../helpers/daemon.js';
import { tempDirs } from '../../helpers/tmp.js';

const dirs = tempDirs('fbuild-any-program-');
const EXAMPLE = join(projectRoot, 'examples', 'hello-daemon');
const hello: DaemonDefinition = { name: 'hello', command: [process.execPath, join(EXAMPLE, 'hello-daemon.mjs')] };
const started: Array<{ stateDir: string; daemon: DaemonDefinition }> = [];

afterEach(async () => {
  // every tool's daemon that may run there; a directory another tool owns refuses the others' stop
  for (const s of started.splice(0))
    await stopDaemon({ ...s, force: true }).catch((err: unknown) => {
      if (!isFbuildError(err, 'OWNER_OTHER_TOOL')) throw err;
    });
});

/** hello daemon processes serving `stateDir`, from /proc (the rig's census matcher with the tool's program) */
const helloDaemons = (stateDir: string) =>
  carryingSync({ kind: 'program', program: programOf(hello), args: daemonArgs(stateDir, hello.name) });

/** `node hello.mjs WHO` as a separate process: its JSON answer */
function runClient(stateDir: string, who: string): Promise<{ hello: string; pid: number; spawned: boolean }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(EXAMPLE, 'hello.mjs'), who], {
      env: { ...process.env, FBUILD_DAEMON_DIR: stateDir },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d));
    child.stderr.on('data', (d: Buffer) => (err += d));
    child.once('error', reject);
    child.once('exit', (code) =>
      code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`client ${who}: ${code} ${err}`)),
    );
  });
}

describe('a tool’s own daemon program', () => {
  it('serves 20 concurrent client processes from one daemon process, and stopDaemon leaves none', async () => {
    const stateDir = dirs();
    started.push({ stateDir, daemon: hello });
    const answers = await Promise.all(Array.from({ length: 20 }, (_, i) => runClient(stateDir, `c${i}`)));
    const pids = new Set(answers.map((a) => a.pid));
    expect(pids.size).toBe(1);
    expect(answers.map((a) => a.hello)).toEqual(answers.map((_, i) => `c${i}`));
    expect(answers.filter((a) => a.spawned).length).toBe(1);
    const [pid] = [...pids] as [number];
    expect(helloDaemons(stateDir)).toEqual([pid]);
    // recognised as the hello daemon of this directory, and not as fbuild's
    expect(daemonProcessCheck(pid, stateDir, hello)).toBe('daemon');
    expect(daemonProcessCheck(pid, stateDir)).toBe('other');
    const stop = await stopDaemon({ stateDir, daemon: hello });
    expect(stop).toMatchObject({ stopped: true, pid, identity: { name: 'hello' } });
    expect(helloDaemons(stateDir)).toEqual([]);
  });

  it('refuses another tool in the same state directory with OWNER_OTHER_TOOL, and is not disturbed by it', async () => {
    const stateDir = dirs();
    started.push({ stateDir, daemon: hello });
    const first = await requestDaemon('greet', { who: 'a' }, { stateDir, daemon: hello });
    const other: DaemonDefinition = { name: 'other', command: hello.command };
    const refusals = [
      requestDaemon('greet', { who: 'b' }, { stateDir, daemon: other, deadlineMs: 5_000 }),
      ensureDaemon({ stateDir, deadlineMs: 5_000 }), // fbuild's own daemon, by default
      stopDaemon({ stateDir, daemon: other, deadlineMs: 5_000 }),
      probeDaemon({ stateDir, daemon: other }),
    ];
    for (const r of await Promise.allSettled(refusals)) {
      expect(r.status).toBe('rejected');
      const err = (r as PromiseRejectedResult).reason;
      expect(isFbuildError(err, 'OWNER_OTHER_TOOL'), String(err)).toBe(true);
    }
    // fbuild doctor names the tool that owns the directory (and --fix leaves it alone)
    const doctor = runFbuild(stateDir, ['doctor', '--json', '--fix'], 60_000, { HOME: dirs() });
    const findings = (doctor.json.checks as Array<{ findings: Array<{ code: string }> }>).flatMap((c) => c.findings);
    expect(findings.map((f) => f.code)).toContain('OWNER_OTHER_TOOL');
    const probed = await probeDaemon({ stateDir, daemon: hello });
    probed?.close();
    expect(probed?.identity).toMatchObject({ name: 'hello', pid: first.identity.pid });
    const again = await requestDaemon('greet', { who: 'c' }, { stateDir, daemon: hello });
    expect(again.identity.nonce).toBe(first.identity.nonce);
    expect(helloDaemons(stateDir)).toEqual([first.identity.pid]);
  });

  it('keeps fbuild’s own daemon the default: no name in its arguments, its identity named fbuild', async () => {
    const stateDir = dirs();
    started.push({ stateDir, daemon: FBUILD_DEFINITION });
    const { identity } = await ensureDaemon({ stateDir });
    expect(identity.name).toBe('fbuild');
    expect(daemonProcessCheck(identity.pid, stateDir)).toBe('daemon');
    expect(daemonArgs(stateDir)).toEqual(['--fbuild-daemon', `--state-dir=${stateDir}`]);
    await expect(requestDaemon('greet', {}, { stateDir, daemon: hello, deadlineMs: 5_000 })).rejects.toMatchObject({
      code: 'OWNER_OTHER_TOOL',
    });
  });

  it('is replaced once by a client of a newer protocol, and exits by itself when idle', async () => {
    const stateDir = dirs();
    started.push({ stateDir, daemon: hello });
    const env = (extra: Record<string, string>) => ({ ...process.env, FBUILD_DAEMON_DIR: stateDir, ...extra });
    const old = await ensureDaemon({ stateDir, daemon: hello, env: env({ FBUILD_DAEMON_PROTOCOL: '0' }) });
    expect(old.identity).toMatchObject({ protocol: 0, name: 'hello' });
    const newer = await requestDaemon(
      'greet',
      { who: 'n' },
      { stateDir, daemon: hello, env: env({ FBUILD_DAEMON_IDLE_MS: '300' }) },
    );
    expect(newer.spawned).toBe(true);
    expect(newer.identity.pid).not.toBe(old.identity.pid);
    expect(isAlive(old.identity.pid)).toBe(false);
    expect(helloDaemons(stateDir)).toEqual([newer.identity.pid]);
    const gone = await pollUntil(() => (isAlive(newer.identity.pid) ? undefined : true), {
      backoff: { firstMs: 20, factor: 1.5, maxMs: 200, jitter: false },
      deadline: nowMs() + 20_000,
    });
    expect(gone).toBe(true);
    expect(helloDaemons(stateDir)).toEqual([]);
  });

  it('two tools starting at once in one state directory: one daemon, its clients answered, the others refused', async () => {
    const stateDir = dirs();
    const other: DaemonDefinition = { name: 'other', command: hello.command };
    started.push({ stateDir, daemon: hello }, { stateDir, daemon: other });
    const calls = Array.from({ length: 16 }, (_, i) => (i % 2 ? hello : other)).map((daemon) =>
      requestDaemon('greet', { who: daemon.name }, { stateDir, daemon }).then(
        (r) => ({ tool: daemon.name, pid: r.identity.pid, owner: r.identity.name }),
        (err) => ({ tool: daemon.name, code: (err as { code?: string }).code }),
      ),
    );
    const outcomes = await Promise.all(calls);
    const served = outcomes.filter((o) => 'pid' in o);
    const winner = served[0]?.tool;
    expect(new Set(served.map((o) => `${o.tool} ${'pid' in o ? o.pid : ''}`)).size, JSON.stringify(outcomes)).toBe(1);
    expect(outcomes.filter((o) => o.tool === winner)).toEqual(served);
    for (const o of outcomes.filter((o) => o.tool !== winner))
      expect(o).toEqual({ tool: o.tool, code: 'OWNER_OTHER_TOOL' });
    const running = carryingSync({ kind: 'program', program: programOf(hello), args: daemonArgs(stateDir, winner) });
    expect(running).toEqual([(served[0] as { pid: number }).pid]);
  });
});
