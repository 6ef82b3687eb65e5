// The exit-code tables classify every error code (the compiler refuses a table that misses one; checked here
// too, in case a table is ever widened to a partial type), and `fbuild --help` is generated from them: every exit
// code with its meaning, and every error code that does not end in the general failure, on its exit's line.
import { describe, expect, it } from 'vitest';
import { EXIT, EXIT_BY_CODE, type ExitName, exitCodesHelp, exitFor } from '../../../src/cli/exit-codes.js';
import { DAEMON_EXIT, DAEMON_EXIT_BY_CODE, exitCodeFor } from '../../../src/daemon/shared/exit-codes.js';
import { ERROR_CODES, type ErrorCode } from '../../../src/errors.js';

const CODES = Object.keys(ERROR_CODES) as ErrorCode[];

// @ts-expect-error a table that leaves a code out does not compile
const _partial: Record<ErrorCode, ExitName> = { BAD_OPTION: 'usage' };
void _partial;

describe('CLI exit codes', () => {
  it('classify every error code, and nothing else', () => {
    expect(Object.keys(EXIT_BY_CODE).sort()).toEqual([...CODES].sort());
    for (const code of CODES) expect(exitFor(code)).toBe(EXIT[EXIT_BY_CODE[code]]);
  });

  it('a code this build does not know (a daemon of another version) and no code are the general failure', () => {
    expect(exitFor('SOME_FUTURE_CODE')).toBe(EXIT.failure);
    expect(exitFor(undefined)).toBe(EXIT.failure);
    expect(exitFor('toString')).toBe(EXIT.failure);
  });

  it('--help lists every exit code, and each error code on the line of the exit it ends with', () => {
    const help = exitCodesHelp();
    const entries = help.split(/\n(?= {2}\d)/).slice(1);
    expect(entries.map((e) => Number(e.trim().split(' ')[0]))).toEqual(Object.values(EXIT));
    for (const code of CODES) {
      const exit = EXIT[EXIT_BY_CODE[code]];
      const holder = entries.filter((e) => new RegExp(`[[ ]${code}[,\\]]`).test(e));
      if (exit === EXIT.failure) expect(holder, code).toEqual([]);
      else
        expect(
          holder.map((e) => Number(e.trim().split(' ')[0])),
          code,
        ).toEqual([exit]);
    }
  });
});

describe('daemon exit codes', () => {
  it('classify every error code; an error without a code is a crash', () => {
    expect(Object.keys(DAEMON_EXIT_BY_CODE).sort()).toEqual([...CODES].sort());
    for (const code of CODES) expect(exitCodeFor(code)).toBe(DAEMON_EXIT[DAEMON_EXIT_BY_CODE[code]]);
    expect(exitCodeFor(undefined)).toBe(DAEMON_EXIT.crashed);
    expect(exitCodeFor('ALREADY_OWNED')).toBe(DAEMON_EXIT.alreadyOwned);
  });
});
