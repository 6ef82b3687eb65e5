import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import {
  type Baseline,
  baselineLines,
  checkBaseline,
  FAIL_FACTOR,
  isGated,
  readBaseline,
  writeBaseline,
} from '../../../../harness/bench/baseline.js';
import { figure } from '../../../../harness/bench/figures.js';

const dir = mkdtempSync(join(tmpdir(), 'fbb-baseline-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const lock = (value: number, floor = 10) =>
  figure({
    id: 'lock.vsFloor',
    title: 'lock p50',
    unit: 'us',
    value,
    ref: { role: 'floor', label: 'O_EXCL', value: floor },
  });
const base = (ratios: Record<string, number>): Baseline => ({
  schema: 1,
  kind: 'fbuild-bench-baseline',
  recordedAt: '2026-01-01T00:00:00Z',
  quick: true,
  machine: { cpus: 2, node: 'v20', load1: 1 },
  ratios,
});

describe('bench regression gate', () => {
  it('gates only same-run ratios: against a floor or a peer, never a fixed limit, never an opted-out figure', () => {
    expect(isGated(lock(20))).toBe(true);
    expect(
      isGated(
        figure({
          id: 'idle.rss',
          title: 'rss',
          unit: 'MB',
          value: 40,
          ref: { role: 'limit', label: 'max', value: 60 },
        }),
      ),
    ).toBe(false);
    expect(isGated(figure({ id: 'x', title: 'x', unit: 'us', value: 1 }))).toBe(false);
    expect(
      isGated(
        figure({
          id: 'claim.mkdirFloor',
          title: 'm',
          unit: 'us',
          value: 5,
          ref: { role: 'floor', label: 'f', value: 1 },
          gated: false,
        }),
      ),
    ).toBe(false);
  });

  it('fails a ratio more than 2× worse than its baseline, names it, and only prints smaller drifts', () => {
    const c = checkBaseline([lock(45)], base({ 'lock.vsFloor': 2 }), 'b.json', 2);
    expect(c.regressions).toEqual(['lock.vsFloor']);
    expect(baselineLines(c).join('\n')).toMatch(
      /REGRESSION lock\.vsFloor \(lock p50\): ratio 4\.500 vs baseline 2\.000 — 2\.25× worse/,
    );
    const drift = checkBaseline([lock(30)], base({ 'lock.vsFloor': 2 }), 'b.json', 2);
    expect(drift.regressions).toEqual([]);
    expect(drift.checks[0]!.verdict).toBe('drift');
    expect(checkBaseline([lock(21)], base({ 'lock.vsFloor': 2 }), 'b.json', 2).checks[0]!.verdict).toBe('ok');
    expect(checkBaseline([lock(21)], base({}), 'b.json', 2).notInBaseline).toEqual(['lock.vsFloor']);
  });

  it('a load-sensitive ratio (round trips between processes) over the limit on an overloaded machine is printed, not failed; the lock never is', () => {
    const ensure = (load1: number) => ({
      ...figure({
        id: 'ensure.vsFloor',
        title: 'ensure',
        unit: 'us',
        value: 900,
        ref: { role: 'floor', label: 'echo', value: 100 },
        loadSensitive: true,
      }),
      load1,
    });
    expect(checkBaseline([ensure(40)], base({ 'ensure.vsFloor': 2 }), 'b.json', 2).checks[0]!.verdict).toBe(
      'overloaded',
    );
    expect(checkBaseline([ensure(40)], base({ 'ensure.vsFloor': 2 }), 'b.json', 2).regressions).toEqual([]);
    expect(checkBaseline([ensure(3)], base({ 'ensure.vsFloor': 2 }), 'b.json', 2).regressions).toEqual([
      'ensure.vsFloor',
    ]);
    expect(checkBaseline([{ ...lock(45), load1: 40 }], base({ 'lock.vsFloor': 2 }), 'b.json', 2).regressions).toEqual([
      'lock.vsFloor',
    ]);
  });

  it('a ratio against a peer (another project) over the limit is printed as peer-moved, never failed; the floor ratio of the same figure is', () => {
    const vsPeer = figure({
      id: 'lock.vsPeer',
      title: 'lock vs proper-lockfile',
      unit: 'us',
      value: 30,
      ref: { role: 'peer', label: 'proper-lockfile', value: 100 },
    });
    const c = checkBaseline([vsPeer, lock(45)], base({ 'lock.vsPeer': 0.1, 'lock.vsFloor': 2 }), 'b.json', 2);
    expect(c.checks.map((x) => [x.id, x.verdict])).toEqual([
      ['lock.vsPeer', 'peer-moved'],
      ['lock.vsFloor', 'REGRESSION'],
    ]);
    expect(c.regressions).toEqual(['lock.vsFloor']);
    expect(baselineLines(c).join('\n')).toContain('peer-moved lock.vsPeer');
  });

  it('the verdict depends on the ratio alone: the same ratio at any absolute speed gives the same verdict', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0.05, max: 50, noNaN: true }),
        fc.double({ min: 0.05, max: 50, noNaN: true }),
        fc.double({ min: 1, max: 1e5, noNaN: true }),
        (was, now, scale) => {
          const c = checkBaseline([lock(now * scale, scale)], base({ 'lock.vsFloor': was }), 'b.json', 2);
          const change = c.checks[0]!.now / was;
          return (c.regressions.length === 1) === change > FAIL_FACTOR;
        },
      ),
    );
  });

  it('writes and reads back a baseline; refuses a file that is not one', () => {
    const file = join(dir, 'baseline.json');
    writeBaseline(
      file,
      [
        lock(25),
        figure({
          id: 'idle.rss',
          title: 'rss',
          unit: 'MB',
          value: 40,
          ref: { role: 'limit', label: 'max', value: 60 },
        }),
      ],
      {
        recordedAt: 'now',
        quick: true,
        machine: { cpus: 2, node: 'v20', load1: 0.5 },
      },
    );
    expect(readBaseline(file)!.ratios).toEqual({ 'lock.vsFloor': 2.5 });
    expect(readBaseline(join(dir, 'absent.json'))).toBeNull();
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ ratios: {} }));
    expect(() => readBaseline(bad)).toThrow(/not a bench baseline/);
  });
});
