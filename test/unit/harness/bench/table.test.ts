import { describe, expect, it } from 'vitest';
import { BENCH_SCHEMA, type BenchDocument } from '../../../../harness/bench/document.js';
import { atMost, fasterBy, figure } from '../../../../harness/bench/figures.js';
import { formatValue } from '../../../../harness/bench/format.js';
import { benchTable, formatRatio, renderTable, rowOf } from '../../../../harness/bench/table.js';

const lockVsFloor = figure({
  id: 'lock.vsFloor',
  title: 'lock p50',
  unit: 'us',
  value: 40,
  ref: { role: 'floor', label: 'O_EXCL', value: 16 },
  target: atMost(2, 'floor'),
});
const lockVsPeer = figure({
  id: 'lock.vsPeer',
  title: 'lock vs peer',
  unit: 'us',
  value: 40,
  ref: { role: 'peer', label: 'proper-lockfile', value: 200 },
  target: fasterBy(4),
});
const info = figure({ id: 'skew', title: 'skew', unit: 'ms', value: 12.5 });

function doc(figures = [lockVsFloor, lockVsPeer, info]): BenchDocument {
  return {
    schema: BENCH_SCHEMA,
    kind: 'fbuild-bench',
    startedAt: '2026-01-01T00:00:00.000Z',
    durationMs: 1234,
    quick: false,
    machine: {
      cpus: 2,
      cpuModel: 'Test CPU',
      platform: 'linux',
      arch: 'x64',
      node: 'v20.0.0',
      totalMemMB: 1,
      tmpdir: '/tmp',
      loadBefore: [1, 1, 1],
      loadAfter: [2, 2, 2],
    },
    figures,
    errors: [],
    caveats: ['noise'],
    outDir: '/tmp/b',
  };
}

describe('bench table', () => {
  it('formats values with their units', () => {
    expect(formatValue(15, 'us')).toBe('15 µs');
    expect(formatValue(1.234, 'ms')).toBe('1.23 ms');
    expect(formatValue(123.4, 'MB')).toBe('123 MB');
    expect(formatValue(1, 'count')).toBe('1');
    expect(formatValue(Number.NaN, 'ms')).toBe('n/a');
  });

  it('shows the ratio, and how many times faster than a peer', () => {
    expect(formatRatio(lockVsFloor)).toBe('2.50×');
    expect(formatRatio(lockVsPeer)).toBe('0.20× (5.0× faster)');
    expect(formatRatio(info)).toBe('');
  });

  it('a row is figure | value | floor/peer | ratio | target | verdict', () => {
    expect(rowOf(lockVsFloor)).toEqual(['lock p50', '40 µs', 'floor O_EXCL 16 µs', '2.50×', '≤ 2× floor', 'MISS']);
    expect(rowOf(lockVsPeer).at(-1)).toBe('PASS');
    expect(rowOf(info)).toEqual(['skew', '12.5 ms', '', '', '', 'INFO']);
  });

  it('aligns columns', () => {
    const lines = renderTable(
      ['a', 'bb'],
      [
        ['xxx', 'y'],
        ['z', 'wwww'],
      ],
    ).split('\n');
    expect(lines[0]).toBe('a   | bb');
    expect(lines[1]).toBe('----|-----');
    expect(lines[2]).toBe('xxx | y');
    expect(lines[3]).toBe('z   | wwww');
  });

  it('the full table counts targets met and MISSes, lists errors and caveats', () => {
    const text = benchTable({ ...doc(), errors: [{ step: 'cold start', message: 'boom' }] });
    expect(text).toContain('1 of 2 targets met, 1 MISS (reported, not an error).');
    expect(text).toContain('ERROR in cold start: boom');
    expect(text).toContain('2 × Test CPU');
    expect(text).toContain('  - noise');
    expect(text.split('\n').filter((l) => l.includes(' | ')).length).toBe(4); // header + 3 figures
  });
});
