// I7 clean stop, and stop racing ensure (I1 over the event log, ordered by `mono`).
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { endpointFor } from '../../../src/daemon/shared/endpoint.js';
import { isFbuildError } from '../../../src/errors.js';
import { isRunning } from '../../../src/process/index.js';
import { type ClientCmd, claimOverlaps, daemonSandboxes, procState, waitFor } from '../../helpers/daemon.js';

const LOCK_LIB = join(import.meta.dirname, '../../../dist/src/lock/index.js');

/** A live process that claims the owner record as a starting daemon does, holds it `holdMs` without listening, then
 * lets go. */
function youngOwner(stateDir: string, holdMs: number) {
  mkdirSync(stateDir, { recursive: true, mode: 0o700 });
  const code = `const { ownerRecordLock } = await import(${JSON.stringify(LOCK_LIB)});
const r = ownerRecordLock.tryAcquire(${JSON.stringify(join(stateDir, 'owner.json'))});
if (!r.ok) process.exit(3);
console.log('held');
setTimeout(() => { r.lock.release(); process.exit(0); }, ${holdMs});`;
  const child = spawn(process.execPath, ['--input-type=module', '-e', code], { stdio: ['ignore', 'pipe', 'inherit'] });
  const held = new Promise<void>((resolve, reject) => {
    child.stdout!.once('data', () => resolve());
    child.once('exit', (c) => reject(new Error(`owner process exited (${c}) before it held the record`)));
  });
  return { child, held };
}

const sandbox = daemonSandboxes('fbuild-stop-');

describe('stopDaemon', () => {
  it('sockfile mode: leaves no process, no owner.json, no socket file; released then exit; an immediate ensure starts afresh', async () => {
    const box = sandbox({ env: { FBUILD_OWNERSHIP: 'sockfile' } });
    const sock = endpointFor(box.stateDir, 'sockfile').path;
    const first = await box.ensure();
    expect(existsSync(sock)).toBe(true);
    const t0 = performance.now();
    const r = await box.stop();
    const stopMs = performance.now() - t0;
    expect(r.stopped).toBe(true);
    expect(r.identity?.nonce).toBe(first.identity.nonce);
    // exited: gone, or a zombie until this process (its parent) reaps it
    expect([null, 'Z']).toContain(procState(first.identity.pid));
    expect(box.alive()).toEqual([]);
    expect(existsSync(join(box.stateDir, 'owner.json'))).toBe(false);
    expect(existsSync(sock)).toBe(false);
    const mine = box
      .events()
      .filter((e) => e.role === 'daemon' && e.pid === first.identity.pid)
      .map((e) => e.ev);
    expect(mine.slice(-2)).toEqual(['released', 'exit']);

    const t1 = performance.now();
    const next = await box.ensure(5_000);
    const restartMs = performance.now() - t1;
    expect(next.spawned).toBe(true);
    expect(next.identity.nonce).not.toBe(first.identity.nonce);
    expect(box.alive()).toEqual([next.identity.pid]);
    console.log(
      `[stop] stopDaemon took ${stopMs.toFixed(0)} ms; the next ensureDaemon (cold spawn) ${restartMs.toFixed(0)} ms`,
    );
  });

  it('an owner that claimed a moment ago and does not listen yet is waited for, not called unresponsive at once', async () => {
    const box = sandbox();
    // lets go after 600 ms: the stop (deadline 5 s) must still be waiting then, and find nothing to stop
    const starting = youngOwner(box.stateDir, 600);
    box.onTeardown(() => starting.child.kill('SIGKILL'));
    await starting.held;
    const t0 = performance.now();
    expect(await box.stop({ deadlineMs: 5_000 })).toEqual({ stopped: false, identity: null });
    expect(performance.now() - t0).toBeGreaterThan(400);

    // one that keeps owning without listening: unresponsive once the deadline is spent, and says how long it waited
    const wedged = youngOwner(box.stateDir, 60_000);
    box.onTeardown(() => wedged.child.kill('SIGKILL'));
    await wedged.held;
    const err = await box.stop({ deadlineMs: 800 }).catch((e: unknown) => e);
    expect(isFbuildError(err, 'DAEMON_UNRESPONSIVE'), String(err)).toBe(true);
    expect((err as Error).message).toContain(`daemon pid ${wedged.child.pid} is not responding`);
    expect((err as Error).message).not.toContain('after 0 ms');
    wedged.child.kill('SIGKILL');
    await waitFor(() => !isRunning(wedged.child), 3_000, 'owner process to die');
  });

  it('with nothing running → {stopped:false}', async () => {
    const box = sandbox();
    expect(await box.stop()).toEqual({ stopped: false, identity: null });
    await box.ensure();
    expect((await box.stop()).stopped).toBe(true);
    expect(await box.stop()).toEqual({ stopped: false, identity: null });
  });

  it('10 ensures racing 3 stops, 5 times: at most one daemon alive, never two owners (I1 over the event log)', async () => {
    const box = sandbox();
    const cmds: ClientCmd[] = [...Array<ClientCmd>(10).fill('ensure'), ...Array<ClientCmd>(3).fill('stop')];
    const summary: string[] = [];
    const stopFailures: unknown[] = [];
    for (let round = 0; round < 5; round++) {
      const batch = await box.startClients(cmds.length, cmds, { deadlineMs: 5_000 });
      const failed = batch.outcomes.map((o, i) => ({ ...o, cmd: cmds[i], round })).filter((o) => !o.ok);
      expect(
        failed.filter((o) => o.cmd === 'ensure'),
        'every ensure succeeds',
      ).toEqual([]);
      stopFailures.push(...failed);
      expect(box.alive().length).toBeLessThanOrEqual(1);
      expect(claimOverlaps(box.events())).toEqual([]);
      const stops = batch.outcomes.slice(10).filter((o) => o.stopped).length;
      summary.push(
        `round ${round}: alive=${box.alive().length} stops-that-stopped=${stops} stops-failed=${failed.length}`,
      );
    }
    const evs = box.events();
    console.log(
      `[stop-race] ${summary.join('; ')}; claimed=${evs.filter((e) => e.ev === 'claimed').length} released=${evs.filter((e) => e.ev === 'released').length} spawns=${evs.filter((e) => e.ev === 'spawn').length}`,
    );
    // a stop that loses the race to another stop finds the daemon already going away: that is success, not an error
    expect(stopFailures, 'stops racing stops').toEqual([]);
  });
});
