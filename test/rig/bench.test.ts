// `harness bench --quick --json` end to end: every figure and growth curve is there with numbers, ratios agree
// with value / reference, the cold starts spawned one daemon at every N (and none in their warm and echo runs),
// bench.html sits beside bench.json,
// and no daemon outlives the bench. The bench's
// TMPDIR is a directory of this test, so every state dir it makes — and every daemon's --state-dir — is
// under it. Behaviour only: whether a target is met depends on the machine and is never asserted.

import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { BenchDocument } from '../../harness/bench/document.js';
import { DAEMON_MARKER } from '../../src/daemon/shared/signature.js';
import { runHarness } from '../helpers/cli.js';
import { leftIn } from '../helpers/tmp.js';

const root = mkdtempSync(join(tmpdir(), 'fbb-it-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** live daemon processes whose --state-dir lies under dir */
function daemonsUnder(dir: string): number[] {
  const out: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    let argv: string[];
    try {
      argv = readFileSync(`/proc/${name}/cmdline`, 'utf8').split('\0');
    } catch {
      continue;
    }
    if (argv.includes(DAEMON_MARKER) && argv.some((a) => a.startsWith(`--state-dir=${dir}/`))) out.push(Number(name));
  }
  return out;
}

const EXPECTED = [
  'lock.vsFloor',
  'lock.vsPeer',
  'ensure.vsFloor',
  'status.vsNode',
  'cold.n20.vsWarm',
  'cold.n20.spawnCount',
  'reproduce.wall',
  'idle.cpu',
  'idle.rss',
];
const JUDGED_GROWTH = ['growth.cold.spawnsMax', 'growth.cold.failures', 'conn.limit', 'install.fetches'];
const CURVES = [
  'growth.cold.max',
  'growth.cold.p50',
  'growth.cold.spawns',
  'growth.lock.throughput',
  'growth.lock.waitP50',
  'growth.lock.waitP99',
  'growth.lock.fairness',
  'growth.conn.ping',
  'growth.conn.rss',
];

describe('harness bench --quick (real CLI)', () => {
  it('measures every figure beside its reference and leaves no daemon behind', async () => {
    const tmp = join(root, 'tmp');
    const out = join(root, 'out');
    mkdirSync(tmp);
    const r = await runHarness(['bench', '--quick', '--json', '--no-baseline', '--out', out], { TMPDIR: tmp });
    const leftovers = process.platform === 'linux' ? daemonsUnder(tmp) : [];
    for (const pid of leftovers) process.kill(pid, 'SIGKILL');
    expect(leftovers, 'daemons left running by the bench').toEqual([]);

    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/bench: cold start/);
    const doc = JSON.parse(r.stdout) as BenchDocument;
    expect(existsSync(join(out, 'bench.json'))).toBe(true);
    expect(JSON.parse(readFileSync(join(out, 'bench.json'), 'utf8'))).toEqual(doc);

    expect(doc.schema).toBe(1);
    expect(doc.errors).toEqual([]);
    expect(doc.machine.cpus).toBeGreaterThan(0);
    expect(doc.machine.loadAfter).toHaveLength(3);
    const ids = doc.figures.map((f) => f.id);
    expect(ids).toEqual(expect.arrayContaining(EXPECTED));
    for (const f of doc.figures) {
      expect(Number.isFinite(f.value), `${f.id} value`).toBe(true);
      expect(['PASS', 'MISS', 'INFO']).toContain(f.verdict);
      if (f.ref === null) continue;
      expect(Number.isFinite(f.ref.value), `${f.id} reference`).toBe(true);
      if (f.ref.value === 0) continue; // "none": judged by equality, no ratio
      expect(f.ratio, `${f.id} ratio`).not.toBeNull();
      expect(Math.abs(f.ratio! - f.value / f.ref.value), `${f.id} ratio = value / reference`).toBeLessThan(
        0.001 + 0.001 * f.ratio!,
      );
    }
    for (const id of EXPECTED.filter((i) => i !== 'reproduce.wall' && i !== 'idle.cpu')) {
      const f = doc.figures.find((x) => x.id === id)!;
      expect(f.target, `${id} is judged`).not.toBeNull();
      expect(f.verdict).not.toBe('INFO');
    }
    // --quick samples the idle daemon for 1 s, less than one cycle of its self-check: shown, not judged
    const idle = doc.figures.find((f) => f.id === 'idle.cpu')!;
    expect(idle).toMatchObject({ target: null, verdict: 'INFO' });
    expect(idle.details.notJudged).toMatch(/shorter than one self-check cycle \(10000 ms\)/);
    expect(doc.figures.find((f) => f.id === 'lock.vsFloor')!.ref!.role).toBe('floor');
    expect(doc.figures.find((f) => f.id === 'lock.vsPeer')!.ref!.role).toBe('peer');
    for (const n of [20]) expect(doc.figures.find((f) => f.id === `cold.n${n}.spawnCount`)!.value).toBe(1);
    // the cold start's floors, measured in the same run with the same clients
    for (const n of [20]) {
      const runs = doc.figures.find((f) => f.id === `cold.n${n}.vsWarm`)!.details.runs as Array<Record<string, any>>;
      for (const r of runs) {
        expect(r.warm.spawnCount).toBe(0);
        expect(r.echo.spawnCount).toBe(0);
        expect(r.cold.phases.totalMs).toBeGreaterThan(0);
      }
      // the CPU the cold start adds: the clients report theirs after the release, the daemon's is read from /proc
      const added = doc.figures.find((f) => f.id === `cold.n${n}.addedCpu`)!;
      expect(added.verdict).toBe('INFO');
      for (const p of added.details.perRepeat as Array<Record<string, number>>) {
        expect(p.coldDaemonMs).toBeGreaterThan(0);
        expect(p.warmDaemonMs).toBeGreaterThanOrEqual(0);
        expect(p.coldClientsMs).toBeGreaterThan(0);
        expect(p.warmClientsMs).toBeGreaterThan(0);
      }
    }
    // growth: one spawn at every N, nobody failed, a coded refusal at the connection limit, one fetch for 20 installs
    for (const id of JUDGED_GROWTH) {
      const f = doc.figures.find((x) => x.id === id);
      expect(f?.verdict, `${id}: ${JSON.stringify(f?.details)}`).toBe('PASS');
    }
    expect(doc.figures.every((f) => typeof f.load1 === 'number')).toBe(true);
    expect(doc.curves!.map((c) => c.id)).toEqual(expect.arrayContaining(CURVES));
    for (const c of doc.curves!) {
      expect(c.series.length, c.id).toBeGreaterThan(0);
      for (const s of c.series) expect(s.points.length, `${c.id} ${s.name}`).toBeGreaterThanOrEqual(2);
    }
    const spawns = doc.curves!.find((c) => c.id === 'growth.cold.spawns')!;
    expect(spawns.series.find((s) => s.name === 'hardened')!.points.map((p) => p.y)).toEqual([1, 1, 1]);
    expect(doc.startup!.map((s) => s.clients)).toEqual([1, 5, 20]);
    for (const s of doc.startup!) expect(Number.isFinite(s.totalMs) && s.totalMs > 0).toBe(true);
    expect(doc.baseline).toBeUndefined();
    expect(readFileSync(join(out, 'bench.html'), 'utf8')).toMatch(/<svg class="growth" data-curve="growth\.cold\.max"/);
    // every temp dir the bench made is gone again
    expect(leftIn(tmp)).toEqual([]);
    // a hang guard only: the whole quick bench takes a few minutes on 2 idle cores; with its 3 × 100 cold-start
    // client processes it took 12 minutes at load 45 on a shared machine
  }, 1_800_000);
});
