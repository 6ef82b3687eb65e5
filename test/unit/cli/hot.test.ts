// The commander-free path of the hot daemon commands takes exactly the command lines it understands and
// leaves every other one — help, other commands (present and future), unknown or malformed flags — to
// commander, so a command added to main.ts works without touching hot.ts.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseHot } from '../../../src/cli/hot.js';

describe('hot command lines', () => {
  it('recognises the daemon commands with their plain flags', () => {
    expect(parseHot(['daemon', 'status'])).toEqual({ sub: 'status', options: { json: false } });
    expect(parseHot(['daemon', 'status', '--json', '--deadline', '3000'])).toEqual({
      sub: 'status',
      options: { json: true, deadline: '3000' },
    });
    expect(parseHot(['daemon', 'start', '--deadline=500'])).toEqual({
      sub: 'start',
      options: { json: false, deadline: '500' },
    });
    expect(parseHot(['daemon', 'stop', '--force', '--json'])).toEqual({
      sub: 'stop',
      options: { json: true, force: true },
    });
    expect(parseHot(['daemon', 'restart', '--force'])).toEqual({
      sub: 'restart',
      options: { json: false, force: true },
    });
  });

  it('leaves everything else to commander', () => {
    for (const argv of [
      [],
      ['--help'],
      ['--version'],
      ['daemon'],
      ['daemon', '--help'],
      ['daemon', 'status', '--help'],
      ['daemon', 'status', '-h'],
      ['daemon', 'logs', '-f'],
      ['daemon', 'status', '--bogus'],
      ['daemon', 'status', '--deadline'],
      ['daemon', 'status', '--deadline', '0'],
      ['daemon', 'status', '--deadline', 'soon'],
      ['daemon', 'status', '--force'],
      ['daemon', 'status', '--json', '--json'],
      ['daemon', 'status', 'extra'],
      ['--state-dir', '/x', 'daemon', 'status'],
      ['install', './pkg.tar.gz'],
      ['doctor', '--json'],
      ['ports'],
      ['monitor', '--port', '/dev/ttyUSB0'],
      ['deploy', 'fw.bin', '--port', 'P'],
    ])
      expect(parseHot(argv), argv.join(' ')).toBeNull();
  });

  it('no command line that does not start with `daemon <hot sub>` is ever taken', () => {
    fc.assert(
      fc.property(fc.array(fc.string(), { maxLength: 6 }), (argv) => {
        const hot = argv[0] === 'daemon' && ['status', 'start', 'stop', 'restart'].includes(argv[1] ?? '');
        return hot || parseHot(argv) === null;
      }),
    );
  });
});
