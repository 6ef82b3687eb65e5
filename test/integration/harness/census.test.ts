// The census counts daemon processes by their signature (the daemon program — node running a kit's daemon entry
// with its marker — and the state dir), so a daemon whose owner record was lost or overwritten still counts, a
// wrapper that carries the same words does not, and a duplicate that lived only between two samples still counts
// from the event log. Real processes, the kit's process listing (/proc here).
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { RoundCensus } from '../../../harness/census/index.js';
import { productStrategy } from '../../../harness/strategies/product.js';
import { ensureDaemon } from '../../../src/daemon/client/ensure.js';
import { stopDaemon } from '../../../src/daemon/client/stop.js';
import { daemonArgs } from '../../../src/daemon/shared/signature.js';
import { childTarget, listing, terminateAll } from '../../../src/process/index.js';
import { waitFor } from '../../helpers/daemon.js';
import { tempDirs } from '../../helpers/tmp.js';

const newDir = tempDirs('fbuild-census-');
const started: ChildProcess[] = [];
const dirs: string[] = [];

afterEach(async () => {
  // SIGTERM first: `timeout` passes it on to the process it runs (SIGKILL would leave that one behind)
  await terminateAll(started.splice(0).map(childTarget), { signal: 'SIGTERM', graceMs: 5_000 });
  for (const d of dirs.splice(0)) await stopDaemon({ stateDir: d, force: true, deadlineMs: 5_000 }).catch(() => {});
});

const strategy = productStrategy('hardened', null);

/**
 * A process that carries the daemon signature for `dir` — node running a file at a kit's daemon entry path
 * (`dist/bin/daemon.mjs`) with the marker and the directory — but holds no record (a duplicate that lost it).
 * `wrapper` starts it under `timeout`, which carries the same words but is not the program. Resolves once the
 * daemon-like process has started (its entry writes a file).
 */
async function impersonator(dir: string, wrapper = false): Promise<ChildProcess> {
  const root = newDir();
  mkdirSync(join(root, 'dist', 'bin'), { recursive: true });
  const entry = join(root, 'dist', 'bin', 'daemon.mjs');
  const up = join(root, 'up');
  writeFileSync(
    entry,
    `import { writeFileSync } from 'node:fs';\nwriteFileSync(${JSON.stringify(up)}, '');\nsetInterval(() => {}, 1000);\n`,
  );
  const argv = [entry, ...daemonArgs(dir)];
  const child = wrapper
    ? spawn('timeout', ['60', process.execPath, ...argv], { stdio: 'ignore' })
    : spawn(process.execPath, argv, { stdio: 'ignore' });
  started.push(child);
  await waitFor(() => existsSync(up), 10_000, 'the daemon-like process to start');
  return child;
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
    const census = new RoundCensus(strategy.signature({ stateDir: dir, daemon: 'fbuild' } as never), () =>
      strategy.readOwnerRecord(dir),
    );
    expect(await census.sample()).toBe(2);
    const alive = await census.final();
    expect(alive.sort()).toEqual([identity.pid, rogue.pid!].sort());
    const s = census.summary([]);
    expect(s.peakConcurrent).toBe(2);
    const daemon = s.daemons.find((d) => d.pid === identity.pid)!;
    expect(daemon.sources).toEqual([listing.source]);
    expect(daemon.sources).not.toContain('owner-record');
  });

  it('a wrapper carrying the daemon words is not counted; the daemon it runs is', async () => {
    const dir = newDir();
    const wrapper = await impersonator(dir, true);
    const census = new RoundCensus(strategy.signature({ stateDir: dir, daemon: 'fbuild' } as never), () => null);
    const alive = await census.final();
    expect(alive).toHaveLength(1);
    expect(alive).not.toContain(wrapper.pid);
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
    const census = new RoundCensus(strategy.signature({ stateDir: dir, daemon: 'fbuild' } as never), () =>
      strategy.readOwnerRecord(dir),
    );
    expect(await census.final()).toEqual([identity.pid]);
  });

  it('a record written in another PID namespace names a pid there: the process with that number here is not counted', async () => {
    const dir = newDir();
    dirs.push(dir);
    const { identity } = await ensureDaemon({
      stateDir: dir,
      env: { ...process.env, FBUILD_DAEMON_SELFCHECK_MS: '60000' },
    });
    // pid 2 is a kernel thread here (kthreadd): alive, its command line unreadable — like the pid a daemon inside
    // another namespace records for itself
    const record = JSON.parse(readFileSync(join(dir, 'owner.json'), 'utf8')) as Record<string, unknown>;
    unlinkSync(join(dir, 'owner.json'));
    writeFileSync(join(dir, 'owner.json'), JSON.stringify({ ...record, pid: 2, startTime: null, pidNs: 'pid:[1]' }));
    const census = new RoundCensus(strategy.signature({ stateDir: dir, daemon: 'fbuild' } as never), () =>
      strategy.readOwnerRecord(dir),
    );
    expect(await census.final()).toEqual([identity.pid]);
  });

  it('a daemon seen only in the event log (lived and died between samples) still counts', async () => {
    const dir = newDir();
    const census = new RoundCensus(strategy.signature({ stateDir: dir, daemon: 'fbuild' } as never), () => null);
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
