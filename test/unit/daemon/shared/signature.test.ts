// What counts as fbuild's daemon from its command line and executable (src/daemon/shared/signature.ts and
// program.ts), on views that hold only a command line (and an executable where given): a node executable running
// a kit build's daemon entry with the marker right after it. Wrappers and lookalikes that carry the same words
// are not it. (Real processes, with /proc: test/integration/doctor/identity.test.ts.)
import { describe, expect, it } from 'vitest';
import { matchProgram } from '../../../../src/daemon/shared/program.js';
import { FBUILD_DAEMON, isDaemonCommandLine, recogniseDaemon } from '../../../../src/daemon/shared/signature.js';

const ENTRY = '/opt/kit/node_modules/fbuild-daemon-kit/dist/bin/daemon.cjs';
const DAEMON = ['/usr/bin/node', ENTRY, '--fbuild-daemon', '--state-dir=/s'];
const view = (argv: string[], exe: string | null = null) => ({ pid: null, argv, exe });

describe('fbuild daemon program', () => {
  it('is a node executable running a kit build entry with the marker right after it', () => {
    expect(matchProgram(FBUILD_DAEMON, view(DAEMON))).toEqual({
      args: ['--fbuild-daemon', '--state-dir=/s'],
      proved: false,
    });
    for (const argv of [
      ['node', '--max-old-space-size=64', '-r', 'x.cjs', ENTRY, '--fbuild-daemon', '--state-dir=/s'],
      // the entry of builds before the daemon was bundled as CommonJS: their daemons may still run
      ['nodejs', 'dist/bin/daemon.mjs', '--fbuild-daemon', '--state-dir=/s'],
      ['node20', '/k/dist/src/daemon/server/main.js', '--fbuild-daemon', '--state-dir=/s'],
      ['C:\\node\\node.exe', 'C:\\kit\\dist\\bin\\daemon.mjs', '--fbuild-daemon', '--state-dir=C:\\s'],
      ['C:\\node\\node.exe', 'C:\\kit\\dist\\bin\\daemon.cjs', '--fbuild-daemon', '--state-dir=C:\\s'],
    ])
      expect(matchProgram(FBUILD_DAEMON, view(argv)), argv.join(' ')).not.toBeNull();
  });

  it('a wrapper, inline code, another entry or a marker elsewhere in argv is not it', () => {
    for (const argv of [
      ['timeout', '300', ...DAEMON],
      ['strace', '-f', '-o', '/dev/null', ...DAEMON],
      ['flock', '/tmp/l', ...DAEMON],
      ['unshare', '-f', ...DAEMON],
      ['node', '--watch', ENTRY, '--fbuild-daemon', '--state-dir=/s'],
      ['node', '-e', 'setInterval(() => {}, 1000)', '--', '--fbuild-daemon', '--state-dir=/s'],
      ['node', ENTRY, '--verbose', '--fbuild-daemon', '--state-dir=/s'],
      ['node', '/k/dist/bin/daemon.mjs.bak', '--fbuild-daemon', '--state-dir=/s'],
      ['node', '/k/dist/bin/daemon.cjs.bak', '--fbuild-daemon', '--state-dir=/s'],
      ['node', '/k/dist/bin/daemon.js', '--fbuild-daemon', '--state-dir=/s'],
      ['node', '/k/daemon.mjs', '--fbuild-daemon', '--state-dir=/s'],
      ['python3', '-c', 'sleep', '--fbuild-daemon', '--state-dir=/s'],
      ['python3', ENTRY, '--fbuild-daemon', '--state-dir=/s'],
    ])
      expect(matchProgram(FBUILD_DAEMON, view(argv)), argv.join(' ')).toBeNull();
  });

  it('the executable read from /proc decides over argv[0]', () => {
    expect(matchProgram(FBUILD_DAEMON, view(DAEMON, '/usr/bin/timeout'))).toBeNull();
    expect(matchProgram(FBUILD_DAEMON, view(['fbuild', ...DAEMON.slice(1)], '/usr/local/bin/node'))).not.toBeNull();
  });

  it('without /proc nothing is proved, and the directory is judged by path only', () => {
    expect(recogniseDaemon(view(DAEMON), '/s')).toEqual({ stateDir: '/s', serves: 'this', proved: false });
    expect(recogniseDaemon(view(DAEMON), '/t')).toMatchObject({ serves: 'other', proved: false });
    expect(recogniseDaemon(view(['node', ENTRY, '--fbuild-daemon']), '/s')).toBeNull(); // no state directory
  });

  it('isDaemonCommandLine reads the text the same way', () => {
    expect(isDaemonCommandLine(DAEMON.join(' '), '/s')).toBe(true);
    expect(isDaemonCommandLine(DAEMON.join(' '))).toBe(true);
    expect(isDaemonCommandLine(DAEMON.join(' '), '/t')).toBe(false);
    expect(isDaemonCommandLine(['timeout', '300', ...DAEMON].join(' '), '/s')).toBe(false);
  });
});
