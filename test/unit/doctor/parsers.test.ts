// The pure parsers behind doctor's look at other fbuild daemons: /proc/net/tcp, pid files, port files and
// command lines. Property tests: whatever the bytes, a parser returns a value or null and never throws.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseForeignPidFile, parsePortFile } from '../../../src/doctor/foreign/layouts.js';
import { parseProcNetTcp } from '../../../src/doctor/foreign/net-tcp.js';
import { duplicateKey, recogniseForeign } from '../../../src/doctor/foreign/recognise.js';

const HEADER = '  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n';

function row(local: string, st: string, inode: number): string {
  return `   0: ${local} 00000000:0000 ${st} 00000000:00000000 00:00000000 00000000  1000        0 ${inode} 1 0000000000000000 100 0 0 10 0\n`;
}

describe('parseProcNetTcp', () => {
  it('reads listening sockets: port, address, every-interface, inode', () => {
    const text =
      HEADER + row('0100007F:1F90', '0A', 111) + row('00000000:2694', '0A', 222) + row('0100007F:C350', '01', 333);
    expect(parseProcNetTcp(text)).toEqual([
      { port: 8080, anyAddress: false, address: '127.0.0.1', inode: '111' },
      { port: 9876, anyAddress: true, address: '0.0.0.0', inode: '222' },
    ]);
    const v6 = HEADER + row('00000000000000000000000000000000:2255', '0A', 444);
    expect(parseProcNetTcp(v6)).toEqual([{ port: 8789, anyAddress: true, address: '::', inode: '444' }]);
  });

  it('round-trips generated rows and never throws on garbage', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            ip: fc.nat(0xffffffff),
            port: fc.integer({ min: 1, max: 65535 }),
            listen: fc.boolean(),
            inode: fc.nat(),
          }),
        ),
        (rows) => {
          const text =
            HEADER +
            rows
              .map((r) =>
                row(
                  `${r.ip.toString(16).toUpperCase().padStart(8, '0')}:${r.port.toString(16).toUpperCase().padStart(4, '0')}`,
                  r.listen ? '0A' : '06',
                  r.inode,
                ),
              )
              .join('');
          const got = parseProcNetTcp(text);
          const want = rows.filter((r) => r.listen);
          expect(got.map((g) => [g.port, g.inode, g.anyAddress])).toEqual(
            want.map((r) => [r.port, String(r.inode), r.ip === 0]),
          );
        },
      ),
    );
    fc.assert(fc.property(fc.string(), (s) => void parseProcNetTcp(s)));
  });
});

describe('pid and port files of other fbuild releases', () => {
  it('a plain pid (1.3.27) or "pid,launcher" (1.3.28+)', () => {
    expect(parseForeignPidFile('4242\n')).toEqual({ pid: 4242, launcher: null });
    expect(parseForeignPidFile('4242,17')).toEqual({ pid: 4242, launcher: 17 });
    for (const bad of ['', 'x', '0', '-3', '12,', '1.5', '4242\n4243']) expect(parseForeignPidFile(bad)).toBeNull();
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 2 ** 31 }),
        fc.option(fc.integer({ min: 1, max: 2 ** 31 }), { nil: null }),
        (pid, launcher) => {
          expect(parseForeignPidFile(launcher === null ? `${pid}` : `${pid},${launcher}\n`)).toEqual({ pid, launcher });
        },
      ),
    );
    fc.assert(fc.property(fc.string(), (s) => void parseForeignPidFile(s)));
  });

  it('port files hold a TCP port', () => {
    expect(parsePortFile('8765\n')).toBe(8765);
    for (const bad of ['0', '65536', 'abc', '']) expect(parsePortFile(bad)).toBeNull();
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 65535 }), (p) => {
        expect(parsePortFile(` ${p}\n`)).toBe(p);
      }),
    );
  });
});

/** a process known by its command line (and, where given, its executable) only */
const seen = (argv: string[], exe: string | null = null) => recogniseForeign({ pid: null, argv, exe });

describe('recogniseForeign', () => {
  it('tells the releases apart by their command lines', () => {
    expect(seen(['python3', '-m', 'fbuild.daemon.daemon', '--spawned-by=12'])).toMatchObject({
      family: 'python-1.3',
      launcher: 12,
      proved: false,
    });
    expect(seen(['/usr/bin/python', '-m', 'fbuild.daemon.daemon', '--launched-by=9'])?.release).toContain('1.3.28');
    expect(seen(['python', '-m', 'fbuild.daemon.daemon'])?.release).toContain('1.5');
    expect(seen(['python3', '-u', '-X', 'dev', '-mfbuild.daemon.daemon', '--spawned-by=3'])?.launcher).toBe(3);
    expect(seen(['C:\\Python\\python.exe', 'C:\\site\\fbuild\\daemon\\daemon.py'])?.family).toBe('modern');
    expect(seen(['/home/u/.cargo/bin/fbuild-daemon', '--port', '0'])?.release).toContain('Rust');
    expect(seen(['C:\\fb\\fbuild-daemon.exe'])?.release).toContain('Rust');
    for (const other of [
      ['python3', 'fbuild.daemon.daemon'],
      ['node', 'dist/bin/daemon.mjs', '--fbuild-daemon'],
      ['vim', 'fbuild/daemon/daemon.py.orig'],
      [],
    ]) {
      expect(seen(other)).toBeNull();
    }
  });

  it("reads argv as python does: after -c the rest are the code's arguments, not a module to run", () => {
    expect(
      seen(['python3', '-c', 'import time; time.sleep(60)', '-m', 'fbuild.daemon.daemon', '--spawned-by=1']),
    ).toBeNull();
    expect(seen(['python3', '-Bc', 'pass', '-m', 'fbuild.daemon.daemon'])).toBeNull();
    expect(seen(['python3', 'other.py', '-m', 'fbuild.daemon.daemon', '--spawned-by=1'])).toBeNull();
    // -W takes `-m` as its value, so x.py is the script
    expect(seen(['python3', '-W', '-m', 'x.py', 'fbuild.daemon.daemon'])).toBeNull();
    expect(seen(['timeout', '60', 'python3', '-m', 'fbuild.daemon.daemon', '--spawned-by=1'])).toBeNull();
  });

  it('the executable read from /proc must be the interpreter the command line claims, and then it is proved', () => {
    const argv = ['python3', '-m', 'fbuild.daemon.daemon', '--spawned-by=12'];
    expect(seen(argv, '/usr/bin/python3.11')).toMatchObject({ family: 'python-1.3', proved: true });
    expect(seen(argv, '/usr/bin/bash')).toBeNull();
    expect(seen(['fbuild-daemon', '--dev'], '/usr/bin/python3.11')).toBeNull(); // a symlink named like it
    expect(seen(['fbuild-daemon', '--dev'], '/opt/fb/fbuild-daemon')).toMatchObject({ proved: true });
  });

  it('duplicates differ only in the launcher pid', () => {
    expect(duplicateKey(['python', '-m', 'fbuild.daemon.daemon', '--spawned-by=1'])).toBe(
      duplicateKey(['python', '-m', 'fbuild.daemon.daemon', '--spawned-by=2']),
    );
    expect(duplicateKey(['fbuild-daemon', '--dev'])).not.toBe(duplicateKey(['fbuild-daemon']));
  });
});
