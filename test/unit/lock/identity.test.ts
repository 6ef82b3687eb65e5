import { execFileSync, spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { checkIdentity, isAlive, ownIdentity, readStartTime } from '../../../src/lock/index.js';
import { untilStopped } from '../../helpers/proc-state.js';

describe('process identity', () => {
  it('reads our own identity and finds it alive and verified', () => {
    const me = ownIdentity();
    expect(me.pid).toBe(process.pid);
    expect(me.startTime).toMatch(/^\d+$/);
    expect(checkIdentity(me)).toEqual({ status: 'alive', stopped: false, verified: true });
  });

  it('tells a dead pid, a reused pid and a stopped process apart', async () => {
    const child = spawn('sleep', ['30']);
    const pid = child.pid!;
    const st = readStartTime(pid);
    if (st.kind !== 'ok') throw new Error('no start time');
    expect(checkIdentity({ pid, startTime: `${Number(st.startTime) + 7}` })).toMatchObject({ status: 'reused' });
    process.kill(pid, 'SIGSTOP');
    await untilStopped(pid);
    expect(checkIdentity({ pid, startTime: st.startTime })).toMatchObject({ status: 'alive', stopped: true });
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    expect(checkIdentity({ pid, startTime: st.startTime })).toEqual({ status: 'dead' });
    expect(isAlive(pid)).toBe(false);
  });

  it('never probes pid 0 or negatives (they address process groups)', () => {
    for (const pid of [0, -1, 1.5, Number.NaN]) expect(isAlive(pid)).toBe(false);
  });

  it('EPERM counts as alive: an unprivileged user sees root-owned pid 1 as alive', () => {
    if (process.getuid?.() !== 0) return expect(isAlive(1)).toBe(true);
    const script = `import('${new URL('../../../dist/src/lock/identity/liveness.js', import.meta.url).href}').then(m => { let e='none'; try { process.kill(1, 0) } catch (x) { e = x.code } console.log(e, m.isAlive(1)) })`;
    const out = execFileSync('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, '-e', script], { encoding: 'utf8' });
    expect(out.trim()).toBe('EPERM true');
  });


});
