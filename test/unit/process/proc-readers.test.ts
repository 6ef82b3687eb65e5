// The pure halves of the /proc readers (cmdline, environ, status), fed synthetic text, and the VmRSS reader on a
// real process.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseEnviron, parseProcStatus, rssMB, splitCmdline } from '../../../src/process/index.js';

describe('/proc text', () => {
  it('splits cmdline (NUL-separated, trailing NUL) and environ (KEY=VALUE, the value may hold =)', () => {
    expect(splitCmdline('node\0/x/main.js\0--fbuild-daemon\0--state-dir=/tmp/a b\0')).toEqual([
      'node',
      '/x/main.js',
      '--fbuild-daemon',
      '--state-dir=/tmp/a b',
    ]);
    expect(splitCmdline('')).toEqual([]);
    // retitled (Node's process.title): the title, then NULs over the rest of the old argv
    expect(splitCmdline(`prettierd${'\0'.repeat(90)}`)).toEqual(['prettierd']);
    expect(parseEnviron('A=1\0FBUILD_RIG_ROUND=r-1=x\0\0').get('FBUILD_RIG_ROUND')).toBe('r-1=x');
  });

  it('cmdline round-trips any argv without NULs, but for trailing empty arguments (padding, as a retitle leaves)', () => {
    const arg = fc.string({ minLength: 0, maxLength: 12 }).filter((a) => !a.includes('\0'));
    fc.assert(
      fc.property(fc.array(arg, { minLength: 1, maxLength: 8 }), fc.nat(64), (argv, padding) => {
        const kept = argv.slice(0, argv.findLastIndex((a) => a !== '') + 1);
        expect(splitCmdline(`${argv.join('\0')}\0${'\0'.repeat(padding)}`)).toEqual(kept);
        if (argv.at(-1) !== '') expect(splitCmdline(`${argv.join('\0')}\0`)).toEqual(argv);
      }),
    );
  });

  it('status: VmRSS and the context switches, wherever they stand; null when absent', () => {
    fc.assert(
      fc.property(
        fc.nat(10_000_000),
        fc.nat(1_000_000),
        fc.nat(1_000_000),
        fc.boolean(),
        (rss, vol, invol, shuffle) => {
          const lines = [
            'Name:\tnode',
            `VmRSS:\t  ${rss} kB`,
            `voluntary_ctxt_switches:\t${vol}`,
            `nonvoluntary_ctxt_switches:\t${invol}`,
          ];
          const text = `${(shuffle ? lines.reverse() : lines).join('\n')}\n`;
          expect(parseProcStatus(text)).toEqual({ rssKB: rss, switches: vol + invol });
        },
      ),
    );
    expect(parseProcStatus('Name:\tkthreadd\nState:\tS\n')).toEqual({ rssKB: null, switches: null });
  });

  it.runIf(process.platform === 'linux')('reads this process’s resident memory; none for a pid that is gone', () => {
    expect(rssMB(process.pid)).toBeGreaterThan(1);
    expect(rssMB(2 ** 30)).toBeNull();
  });
});
