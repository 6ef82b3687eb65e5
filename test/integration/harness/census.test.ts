// The census counts daemon processes by their signature (argv marker + state dir), so a daemon whose owner
// record was lost or overwritten still counts — and a duplicate that lived only between two samples still
// counts from the event log. Real processes, real /proc and ps-list.
import { type ChildProcess, spawn } from 'node:child_process';
import { unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { RoundCensus } from '../../../harness/census/index.js';
import { productStrategy } from '../../../harness/strategies/product.js';
import { ensureDaemon } from '../../../src/daemon/client/ensure.js';
import { stopDaemon } from '../../../src/daemon/client/stop.js';
import { daemonArgs } from '../../../src/daemon/shared/signature.js';
import { tempDirs } from '../../helpers/tmp.js';

const newDir = tempDirs('fbuild-census-');
const started: ChildProcess[] = [];
const dirs: string[] = [];

afterEach(async () => {
  for (const c of started.splice(0)) if (c.exitCode === null && c.pid) c.kill('SIGKILL');
  for (const d of dirs.splice(0)) await stopDaemon({ stateDir: d, force: true, deadlineMs: 5_000 }).catch(() => {});
});

const strategy = productStrategy('hardened', null);

/** A process that carries the daemon signature for `dir` but is not a daemon (a duplicate that lost its record). */
function impersonator(dir: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)', '--', ...daemonArgs(dir)], {
    stdio: 'ignore',
  });
  started.push(child);
  return new Promise((resolve) => setTimeout(() => resolve(child), 100));
}

describe('census', () => {
  it('counts a live daemon whose owner record was removed, and a second signature-carrying process the record does not name', async () => {
    const dir = newDir();
    dirs.push(dir);
    // a long self-check interval, so the daemon does not fence itself while we look
    const { identity } = await ensureDaemon({
      stateDir: dir,
      env: { ...process.env, FBUILD_DAEMON_SELFCHECK_MS: '60000' },
    });
    unlinkSync(join(dir, 'owner.json'));
    const rogue = await impersonator(dir);
    const census = new RoundCensus(strategy.signature({ stateDir: dir } as never), () => strategy.readOwnerRecord(dir));
    expect(await census.sample()).toBe(2);
    const alive = await census.final();
    expect(alive.sort()).toEqual([identity.pid, rogue.pid!].sort());
    const s = census.summary([]);
    expect(s.peakConcurrent).toBe(2);
    const daemon = s.daemons.find((d) => d.pid === identity.pid)!;
    expect(daemon.sources).toEqual(expect.arrayContaining(['proc', 'ps-list']));
    expect(daemon.sources).not.toContain('owner-record');
  });

  it('an owner record overwritten to name another live process does not hide the real daemon, nor add the named one', async () => {
    const dir = newDir();
    dirs.push(dir);
    const { identity } = await ensureDaemon({
      stateDir: dir,
      env: { ...process.env, FBUILD_DAEMON_SELFCHECK_MS: '60000' },
    });
    const bystander = spawn('sleep', ['30']);
    started.push(bystander);
    // a record naming the bystander with a wrong start time: a reused pid, which must not count
    unlinkSync(join(dir, 'owner.json'));
    writeFileSync(join(dir, 'owner.json'), JSON.stringify({ pid: bystander.pid, startTime: '1', nonce: 'x' }));
    const census = new RoundCensus(strategy.signature({ stateDir: dir } as never), () => strategy.readOwnerRecord(dir));
    expect(await census.final()).toEqual([identity.pid]);
  });

  it('a daemon seen only in the event log (lived and died between samples) still counts', async () => {
    const dir = newDir();
    const census = new RoundCensus(strategy.signature({ stateDir: dir } as never), () => null);
    await census.sample();
    census.addFromEvents([
      { mono: '100', wall: 1, pid: 424242, role: 'daemon', ev: 'start' },
      { mono: '200', wall: 2, pid: 424242, role: 'daemon', ev: 'exit' },
    ]);
    const s = census.summary([]);
    expect(s.daemons.map((d) => [d.pid, d.sources, d.firstSeen, d.lastSeen])).toEqual([
      [424242, ['event-log'], '100', '200'],
    ]);
  });
});
