// The kit's one terminate-and-wait, on real processes: nothing is sent to what is not running; a polite process
// goes within the grace; one that ignores SIGTERM is SIGKILLed after it; with `kill: false` it is reported as
// survived; the target is asked again right before SIGKILL, and one that is no longer the process meant (its pid
// reused, say) is never signalled; a process group goes as a whole, its zombies counting as gone.
import { type ChildProcess, spawn } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import {
  childTarget,
  groupAlive,
  groupTarget,
  identityTarget,
  isAlive,
  pidTarget,
  readStartTime,
  terminate,
  terminateAll,
} from '../../../src/process/index.js';

const started: ChildProcess[] = [];
afterEach(async () => {
  await terminateAll(started.splice(0).map(childTarget), { signal: 'SIGKILL', graceMs: 5_000 });
});

/** a Node process that has installed its SIGTERM handler (or not) and says so */
async function node(ignoreTerm: boolean, detached = false): Promise<ChildProcess> {
  const code = `${ignoreTerm ? "process.on('SIGTERM', () => {});" : ''}console.log('up');setInterval(() => {}, 1000);`;
  const child = spawn(process.execPath, ['--input-type=module'], { stdio: ['pipe', 'pipe', 'inherit'], detached });
  started.push(child);
  child.stdin!.end(code);
  await new Promise((r) => child.stdout!.once('data', r));
  return child;
}

const exited = (c: ChildProcess) =>
  new Promise((r) => (c.exitCode !== null || c.signalCode !== null ? r(null) : c.once('exit', r)));

describe('terminate', () => {
  it('SIGTERM within the grace: exited; SIGTERM ignored: killed after the grace; gone before: absent', async () => {
    const polite = await node(false);
    const stubborn = await node(true);
    expect(await terminate(childTarget(polite), { graceMs: 60_000 })).toBe('exited');
    expect(polite.signalCode).toBe('SIGTERM');
    expect(await terminate(pidTarget(stubborn.pid!), { graceMs: 200 })).toBe('killed');
    await exited(stubborn);
    expect(stubborn.signalCode).toBe('SIGKILL');
    expect(await terminate(childTarget(stubborn), { graceMs: 60_000 })).toBe('absent');
    expect(await terminate(pidTarget(process.pid), { graceMs: 0 })).toBe('absent');
  });

  it('without kill, what outlives the grace is reported as survived and left running', async () => {
    const stubborn = await node(true);
    expect(await terminate(childTarget(stubborn), { graceMs: 100, kill: false })).toBe('survived');
    expect(isAlive(stubborn.pid!)).toBe(true);
  });

  it('asks the target again right before SIGKILL: one that is no longer the process meant is not signalled', async () => {
    const stubborn = await node(true);
    const sent: NodeJS.Signals[] = [];
    let looks = 0;
    // With no grace the target is asked exactly three times: before SIGTERM, once in the (empty) grace, and
    // right before SIGKILL — where it is "another process" by now (its pid reused)
    const target = {
      alive: () => ++looks <= 2,
      signal: (sig: NodeJS.Signals) => {
        sent.push(sig);
        process.kill(stubborn.pid!, sig);
      },
    };
    expect(await terminate(target, { graceMs: 0 })).toBe('exited');
    expect(looks).toBe(3);
    expect(sent).toEqual(['SIGTERM']);
    expect(isAlive(stubborn.pid!)).toBe(true);
  });

  it('an identity target whose start time no longer matches is absent: its pid is never signalled', async () => {
    const child = await node(false);
    const st = readStartTime(child.pid!);
    if (st.kind !== 'ok') throw new Error('no start time');
    const reused = { pid: child.pid!, startTime: `${Number(st.startTime) + 7}` };
    expect(await terminate(identityTarget(reused), { signal: 'SIGKILL', graceMs: 1_000 })).toBe('absent');
    expect(isAlive(child.pid!)).toBe(true);
    expect(await terminate(identityTarget({ pid: child.pid!, startTime: st.startTime }), { graceMs: 60_000 })).toBe(
      'exited',
    );
  });

  it.runIf(process.platform === 'linux')(
    'a process group goes as a whole: a background job the shell left is ended with it',
    async () => {
      // the shell's background job ignores SIGTERM, so the group outlives the grace and is SIGKILLed as one
      const shell = spawn('sh', ['-c', `trap '' TERM; sleep 60 & echo up; wait`], { detached: true, stdio: 'pipe' });
      started.push(shell);
      await new Promise((r) => shell.stdout!.once('data', r));
      const pgid = shell.pid!;
      expect(groupAlive(pgid)).toBe(true);
      expect(await terminate(groupTarget(pgid), { graceMs: 200 })).toBe('killed');
      expect(groupAlive(pgid)).toBe(false);
    },
  );
});
