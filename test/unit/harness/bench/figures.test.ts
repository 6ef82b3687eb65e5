import { describe, expect, it } from 'vitest';
import { atMost, fasterBy, figure, ratioOf, verdictOf } from '../../../../harness/bench/figures.js';

const floor = (value: number) => ({ role: 'floor' as const, label: 'f', value });
const peer = (value: number) => ({ role: 'peer' as const, label: 'p', value });

describe('bench figures: ratio and verdict', () => {
  it('ratio is value / reference, null without a usable reference', () => {
    expect(ratioOf(30, floor(15))).toBe(2);
    expect(ratioOf(30, null)).toBeNull();
    expect(ratioOf(30, floor(0))).toBeNull();
    expect(ratioOf(Number.NaN, floor(1))).toBeNull();
  });

  it('≤ N× the floor passes at exactly N and misses above', () => {
    expect(verdictOf(30, floor(15), atMost(2, 'floor'))).toBe('PASS');
    expect(verdictOf(30.1, floor(15), atMost(2, 'floor'))).toBe('MISS');
    expect(verdictOf(10, floor(15), atMost(1.5, 'floor'))).toBe('PASS');
  });

  it('≥ N× faster than the peer is value/peer ≤ 1/N', () => {
    expect(fasterBy(4).text).toBe('≥ 4× faster');
    expect(verdictOf(50, peer(200), fasterBy(4))).toBe('PASS');
    expect(verdictOf(51, peer(200), fasterBy(4))).toBe('MISS');
  });

  it('equals targets compare exactly; no target or reference is INFO; a non-number misses', () => {
    const eq = { kind: 'equals' as const, text: 'exactly 1' };
    expect(verdictOf(1, { role: 'limit', label: 'exactly', value: 1 }, eq)).toBe('PASS');
    expect(verdictOf(2, { role: 'limit', label: 'exactly', value: 1 }, eq)).toBe('MISS');
    expect(verdictOf(5, floor(1), null)).toBe('INFO');
    expect(verdictOf(5, null, atMost(2, 'floor'))).toBe('INFO');
    expect(verdictOf(Number.NaN, floor(1), atMost(2, 'floor'))).toBe('MISS');
  });

  it('figure() tidies the numbers first, so the stored ratio matches the stored value / reference', () => {
    const f = figure({
      id: 'x',
      title: 'x',
      unit: 'us',
      value: 23.45678,
      ref: floor(15.04321),
      target: atMost(2, 'floor'),
    });
    expect(f.value).toBe(23.46);
    expect(f.ref!.value).toBe(15.04);
    expect(f.ratio).toBeCloseTo(f.value / f.ref!.value, 3);
    expect(f.verdict).toBe('PASS');
    expect(figure({ id: 'y', title: 'y', unit: 'ms', value: 3 }).ratio).toBeNull();
  });
});
