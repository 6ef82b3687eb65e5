// The rig's one kill-and-wait, on real processes: a signal first when asked, a grace to exit, SIGKILL for what
// outlives it; what it had to SIGKILL is returned; a child that already exited is not a pid to signal.
import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { killAndWait, pidsOf } from '../../../../harness/engine/kill.js';
import { isAlive } from '../../../../src/process/index.js';

/** a Node process that has installed its SIGTERM handler (or not) and says so */
async function node(ignoreTerm: boolean) {
  const code = `${ignoreTerm ? "process.on('SIGTERM', () => {});" : ''}console.log('up');setInterval(() => {}, 1000);`;
  const child = spawn(process.execPath, ['--input-type=module'], { stdio: ['pipe', 'pipe', 'inherit'] });
  child.stdin!.end(code);
  await new Promise((r) => child.stdout!.once('data', r));
  return child;
}

describe('killAndWait', () => {
  it('SIGTERM within the grace: gone, nothing SIGKILLed; SIGTERM ignored: SIGKILLed after the grace', async () => {
    const polite = await node(false);
    const stubborn = await node(true);
    expect(await killAndWait(pidsOf([polite]), 60_000, 'SIGTERM')).toEqual([]);
    expect(isAlive(polite.pid!)).toBe(false);
    expect(await killAndWait(pidsOf([stubborn]), 300, 'SIGTERM')).toEqual([stubborn.pid]);
    expect(isAlive(stubborn.pid!)).toBe(false);
  });

  it('without a signal it waits the grace, then SIGKILLs; a pid that is not alive is left alone', async () => {
    const child = await node(false);
    expect(await killAndWait([child.pid!], 100)).toEqual([child.pid]);
    expect(isAlive(child.pid!)).toBe(false);
    expect(await killAndWait([child.pid!, process.pid, 0], 0)).toEqual([]);
  });

  it('pidsOf leaves out children that exited (their pid may be another process by now)', async () => {
    const child = await node(false);
    expect(pidsOf([child])).toEqual([child.pid]);
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGKILL');
    await exited;
    expect(pidsOf([child])).toEqual([]);
  });
});
