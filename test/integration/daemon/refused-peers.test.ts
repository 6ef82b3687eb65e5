// Floods against a real daemon (issue 18, H1): peers it refuses that reset by the thousand, under both
// endpoint mechanisms and from another user; another user's held handshakes while the owner's clients call;
// and what the owner's `fbuild daemon status` reports while the daemon is overloaded — busy, never "not
// running", never an impostor. Every flood runs in its own process (fixtures/daemon/peer-flood.mjs).
import { type ChildProcessByStdio, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { join } from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { nowMs } from '../../../src/clock.js';
import { connectDaemon } from '../../../src/daemon/client/connect.js';
import { resolveConfig } from '../../../src/daemon/shared/config.js';
import { entryPath } from '../../../src/paths.js';
import { runFbuild } from '../../helpers/cli.js';
import { daemonSandboxes, procState, type Sandbox } from '../../helpers/daemon.js';
import { otherUidUnavailable, startAsOtherUid } from '../../helpers/other-uid.js';

const sandbox = daemonSandboxes('fbuild-refused-');
const FLOOD = `import(${JSON.stringify(pathToFileURL(entryPath('harness/programs/peer-flood')).href)})`;
/** a CLI call's own hang guard; the calls are sequential, so a test's guard is this times their number */
const CALL_GUARD_MS = 30_000;

/** More connections than the box's daemon takes at once (its connection cap, every one of which may be in the
 * handshake): a flood holding them keeps it busy, and the ones past the cap are refused on every reconnect. */
const pastTheCap = (box: Sandbox): number => resolveConfig(box.env, box.stateDir).maxConnections + 8;

interface Flood {
  /** every held connection has connected once */
  ready: Promise<void>;
  /** the resets are all done */
  resetsDone: Promise<void>;
  /** ends the flood; the codes of every frame its held connections received */
  stop(): Promise<Record<string, number>>;
}

function startFlood(box: Sandbox, hold: number, resets: number, asOtherUid: boolean): Flood {
  const { endpoint } = resolveConfig(box.env, box.stateDir);
  const args = [endpoint.kind === 'abstract' ? endpoint.display : endpoint.path, String(hold), String(resets)];
  const child: ChildProcessByStdio<Writable, Readable, null> = asOtherUid
    ? startAsOtherUid(FLOOD, args)
    : spawn(process.execPath, ['-e', FLOOD, ...args], { stdio: ['pipe', 'pipe', 'inherit'] });
  box.onTeardown(() => child.kill('SIGKILL'));
  const seen = new Map<string, (v: any) => void>();
  const waitFor = (key: string) =>
    new Promise<any>((resolve, reject) => {
      seen.set(key, resolve);
      child.once('close', (code) => reject(new Error(`the flood exited (${code}) before '${key}'`)));
    });
  const ready = waitFor('ready');
  const resetsDone = waitFor('resets');
  const summary = waitFor('summary');
  let buf = '';
  child.stdout.on('data', (d: Buffer) => {
    buf += d.toString('utf8');
    for (let nl = buf.indexOf('\n'); nl >= 0; nl = buf.indexOf('\n')) {
      const line = JSON.parse(buf.slice(0, nl)) as Record<string, unknown>;
      buf = buf.slice(nl + 1);
      for (const [key, value] of Object.entries(line)) seen.get(key)?.(value);
    }
  });
  return {
    ready,
    resetsDone,
    stop: async () => {
      child.stdin.end();
      return ((await summary) as { codes: Record<string, number> }).codes;
    },
  };
}

async function statusOf(box: Sandbox): Promise<any> {
  const config = resolveConfig(box.env, box.stateDir);
  const conn = await connectDaemon({
    endpoint: config.endpoint,
    secretPath: config.files.secret,
    protocol: config.protocol,
    deadline: nowMs() + 30_000,
  });
  try {
    return await conn.request('status', {}, { deadline: nowMs() + 30_000 });
  } finally {
    conn.close();
  }
}

/** The same daemon is alive, serves, and never logged a crash. */
async function stillServing(box: Sandbox, pid: number, nonce: string): Promise<void> {
  expect(procState(pid), `daemon pid ${pid} is gone`).not.toBeNull();
  // the flood's connections are closed: their slots come free as the daemon reads the closes
  const again = await box.ensure(30_000);
  expect(again).toMatchObject({ spawned: false, identity: { nonce } });
  expect(readFileSync(join(box.stateDir, 'daemon.log'), 'utf8')).not.toMatch(/Unhandled 'error' event/);
}

describe('refused peers that reset', () => {
  it.each(['sockfile', 'abstract'])(
    'FBUILD_OWNERSHIP=%s: handshakes held past the cap, then 2,000 refused peers reset at once: the daemon lives and serves',
    async (mode) => {
      const box = sandbox({ env: { FBUILD_OWNERSHIP: mode, FBUILD_DAEMON_HANDSHAKE_MS: '600000' } });
      const { identity } = await box.ensure();
      const flood = startFlood(box, pastTheCap(box), 2_000, false);
      await flood.ready;
      await flood.resetsDone;
      const codes = await flood.stop();
      await stillServing(box, identity.pid, identity.nonce);
      // the 8 held connections past the cap were refused, and refused again on every reconnect
      expect(codes.TOO_MANY_CONNECTIONS).toBeGreaterThan(0);
      expect((await statusOf(box)).refused.busy).toBeGreaterThan(0);
    },
  );

  it('FBUILD_OWNERSHIP=abstract: another user holding 40 connections and resetting 2,000 is refused at accept', (t) => {
    const why = otherUidUnavailable(entryPath('harness/programs/peer-flood'));
    if (why) return t.skip(why);
    return (async () => {
      const box = sandbox({ env: { FBUILD_OWNERSHIP: 'abstract', FBUILD_DAEMON_HANDSHAKE_MS: '600000' } });
      const { identity } = await box.ensure();
      const flood = startFlood(box, 40, 2_000, true);
      await flood.ready;
      await flood.resetsDone;
      const codes = await flood.stop();
      await stillServing(box, identity.pid, identity.nonce);
      expect(codes.PEER_NOT_ALLOWED).toBeGreaterThan(0);
      expect(codes.TOO_MANY_CONNECTIONS ?? 0).toBe(0); // never took a slot, so never reached the cap
      expect((await statusOf(box)).refused).toMatchObject({ busy: 0, otherUser: expect.any(Number) });
    })();
  });
});

describe("the owner's clients under a flood", () => {
  it(
    "FBUILD_OWNERSHIP=abstract: another user's 200 held handshakes do not starve `fbuild daemon status`",
    (t) => {
      const why = otherUidUnavailable(entryPath('harness/programs/peer-flood'));
      if (why) return t.skip(why);
      const calls = 20;
      return (async () => {
        const box = sandbox({ env: { FBUILD_OWNERSHIP: 'abstract' } });
        const { identity } = await box.ensure();
        const flood = startFlood(box, 200, 0, true);
        await flood.ready;
        const outcomes: string[] = [];
        for (let i = 0; i < calls; i++) {
          const r = runFbuild(box.stateDir, ['daemon', 'status', '--json'], CALL_GUARD_MS, {
            FBUILD_OWNERSHIP: 'abstract',
          });
          outcomes.push(r.code === 0 ? `ok pid ${r.json.daemon.pid}` : `exit ${r.code}: ${r.json?.error?.message}`);
        }
        const codes = await flood.stop();
        expect(outcomes).toEqual(Array(calls).fill(`ok pid ${identity.pid}`));
        expect(codes.PEER_NOT_ALLOWED).toBeGreaterThan(0);
      })();
    },
    60_000 + 20 * CALL_GUARD_MS,
  );

  it(
    "FBUILD_OWNERSHIP=sockfile: the owner's own flood makes `status` busy at worst — never not running, unresponsive or an impostor",
    async () => {
      const calls = 4;
      const box = sandbox();
      const { identity } = await box.ensure();
      const flood = startFlood(box, pastTheCap(box), 4_000, false);
      await flood.ready;
      const outcomes = new Set<string>();
      for (let i = 0; i < calls; i++) {
        const r = runFbuild(box.stateDir, ['daemon', 'status', '--json'], CALL_GUARD_MS);
        outcomes.add(r.code === 0 ? 'ok' : `exit ${r.code} ${r.json?.error?.code}: ${r.json?.error?.message}`);
      }
      await flood.stop();
      // every slot is the flood's (5 s handshake deadline, then it reconnects): a call gets one or not
      expect([...outcomes].filter((o) => o !== 'ok' && !o.startsWith('exit 1 TOO_MANY_CONNECTIONS:'))).toEqual([]);
      await stillServing(box, identity.pid, identity.nonce);
    },
    60_000 + 4 * CALL_GUARD_MS,
  );

  it('`fbuild daemon stop --force` ends a daemon that its own flood keeps too busy to be asked', async () => {
    const box = sandbox({ env: { FBUILD_DAEMON_HANDSHAKE_MS: '600000' } });
    const { identity } = await box.ensure();
    const flood = startFlood(box, pastTheCap(box), 0, false);
    await flood.ready;
    const plain = runFbuild(box.stateDir, ['daemon', 'stop', '--json', '--deadline', '2000'], CALL_GUARD_MS);
    expect({ code: plain.code, error: plain.json?.error?.code }).toEqual({ code: 1, error: 'TOO_MANY_CONNECTIONS' });
    expect(procState(identity.pid)).not.toBeNull();
    const forced = runFbuild(
      box.stateDir,
      ['daemon', 'stop', '--force', '--json', '--deadline', '2000'],
      CALL_GUARD_MS,
    );
    await flood.stop();
    expect(forced.code, forced.stdout).toBe(0);
    expect(forced.json).toMatchObject({ stopped: true, forced: true, pid: identity.pid });
    // our child (box.ensure spawned it): gone, or a zombie until this process reaps it
    expect([null, 'Z']).toContain(procState(identity.pid));
  });

  it('`fbuild doctor` reports a daemon its flood keeps too busy as DAEMON_OVERLOADED (exit 1), never fails on it', async () => {
    const box = sandbox({ env: { FBUILD_DAEMON_HANDSHAKE_MS: '600000' } });
    const { identity } = await box.ensure();
    const flood = startFlood(box, pastTheCap(box), 0, false);
    await flood.ready;
    const doctor = runFbuild(box.stateDir, ['doctor', '--json'], CALL_GUARD_MS);
    await flood.stop();
    expect(doctor.code, doctor.stderr).toBe(1);
    const checks = doctor.json.checks as { findings: { code: string }[] }[];
    const found = checks.flatMap((c) => c.findings.map((f) => f.code));
    expect(found).toContain('DAEMON_OVERLOADED');
    expect(found).not.toContain('DAEMON_WEDGED');
    await stillServing(box, identity.pid, identity.nonce);
  });

  it('a stopped daemon whose listen queue is full is reported stopped (exit 4), not "not running"', async () => {
    const box = sandbox({ env: { FBUILD_OWNERSHIP: 'abstract' } });
    const { identity } = await box.ensure();
    const { endpoint } = resolveConfig(box.env, box.stateDir);
    process.kill(identity.pid, 'SIGSTOP');
    const queued: Socket[] = [];
    box.onTeardown(() => {
      for (const s of queued) s.destroy();
      process.kill(identity.pid, 'SIGCONT');
    });
    // more than Node's default listen backlog (511): the rest are refused for a full queue (EAGAIN)
    const results = await Promise.all(
      Array.from({ length: 700 }, () => {
        const s = connect(endpoint.path);
        queued.push(s);
        return new Promise<string>((resolve) => {
          s.once('connect', () => resolve('queued'));
          s.once('error', (err: NodeJS.ErrnoException) => resolve(err.code ?? 'error'));
        });
      }),
    );
    expect(results).toContain('EAGAIN');
    const r = runFbuild(box.stateDir, ['daemon', 'status', '--json'], CALL_GUARD_MS, { FBUILD_OWNERSHIP: 'abstract' });
    expect({ code: r.code, error: r.json?.error?.code, stopped: r.json?.error?.details?.stopped }).toEqual({
      code: 4,
      error: 'DAEMON_UNRESPONSIVE',
      stopped: true,
    });
    for (const s of queued) s.destroy();
    process.kill(identity.pid, 'SIGCONT');
    const after = runFbuild(box.stateDir, ['daemon', 'status', '--json', '--deadline', '30000'], CALL_GUARD_MS, {
      FBUILD_OWNERSHIP: 'abstract',
    });
    expect(after.code, after.stderr).toBe(0);
  });
});
