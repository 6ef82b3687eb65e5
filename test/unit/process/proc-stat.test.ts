import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isExitedState, parseProcStat, readProcStat } from '../../../src/process/index.js';

/** fields 3..24 of a stat line, with the ones the kit reads set */
function statFields(o: {
  state?: string;
  ppid?: string;
  pgrp?: string;
  utime?: string;
  stime?: string;
  start?: string;
}): string[] {
  const f = Array.from({ length: 50 }, (_, i) => String(i + 3));
  f[0] = o.state ?? 'S';
  f[1] = o.ppid ?? '42';
  f[2] = o.pgrp ?? '40';
  f[11] = o.utime ?? '120';
  f[12] = o.stime ?? '35';
  f[19] = o.start ?? '987654';
  return f;
}

describe('/proc/PID/stat', () => {
  it('reads state, ppid, process group, CPU ticks and start time after the LAST parenthesis', () => {
    expect(parseProcStat(`1234 (we ird) (name) ${statFields({}).join(' ')}\n`)).toEqual({
      state: 'S',
      ppid: 42,
      pgrp: 40,
      utime: 120,
      stime: 35,
      startTime: '987654',
    });
  });

  it('never throws, and finds the fields whatever the command name holds (property)', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 15 }), fc.nat(), fc.nat(), (comm, start, utime) => {
        const parsed = parseProcStat(
          `123 (${comm}) ${statFields({ start: String(start), utime: String(utime) }).join(' ')}\n`,
        );
        expect(parsed).toMatchObject({ state: 'S', startTime: String(start), utime });
      }),
    );
    fc.assert(fc.property(fc.string(), (garbage) => void parseProcStat(garbage)));
  });

  it('rejects truncated and malformed lines', () => {
    expect(parseProcStat('garbage')).toBeNull();
    expect(parseProcStat('1 (x) S')).toBeNull();
    expect(parseProcStat('1 (x) S 1')).toBeNull();
    expect(parseProcStat(`1 (x) ${statFields({ start: 'x1' }).join(' ')}`)).toBeNull();
    expect(parseProcStat(`1 (x) ${statFields({ ppid: '-' }).join(' ')}`)).toBeNull();
    expect(parseProcStat(`1 (x) ${statFields({ pgrp: 'x' }).join(' ')}`)).toBeNull();
  });

  it('reads this process, and says gone for a pid that does not exist', () => {
    const own = readProcStat(process.pid);
    expect(own.kind).toBe('ok');
    if (own.kind === 'ok') expect(own.stat.ppid).toBe(process.ppid);
    if (own.kind === 'ok') expect(own.stat.pgrp).toBeGreaterThan(0);
    expect(readProcStat(2 ** 22 + 1).kind).toBe('gone');
    expect(isExitedState('Z') && isExitedState('X') && !isExitedState('S')).toBe(true);
  });
});
