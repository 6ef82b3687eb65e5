import { spawn } from 'node:child_process';
import { chmodSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { checkIdentity, isAlive, ownIdentity, readStartTime } from '../../../src/process/index.js';
import { transpileForChild } from '../../helpers/child-modules.js';
import { otherUidUnavailable, runAsOtherUid } from '../../helpers/other-uid.js';
import { untilStopped } from '../../helpers/proc-state.js';
import { tempDirs } from '../../helpers/tmp.js';

const newDir = tempDirs('fbuild-identity-');

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

  it('EPERM counts as alive: an unprivileged user sees root-owned pid 1 as alive', (t) => {
    if (process.getuid?.() !== 0) return expect(isAlive(1)).toBe(true);
    // The child runs as uid 65534, which cannot read a checkout under a 0700 directory (a clone in a private
    // temp dir, root's home in a container): it gets its own world-readable copy of the module it needs.
    const dir = newDir();
    chmodSync(dir, 0o755);
    const url = transpileForChild('src/process/liveness.ts', dir);
    const why = otherUidUnavailable();
    if (why) return t.skip(why);
    const out = runAsOtherUid(
      `import(${JSON.stringify(url)}).then(m => { let e='none'; try { process.kill(1, 0) } catch (x) { e = x.code } console.log(e, m.isAlive(1)) })`,
    );
    expect(out.stderr).toBe('');
    expect(out.stdout.trim()).toBe('EPERM true');
  });
});
