// A tool's daemon definition (src/daemon/shared/definition.ts) and how its processes are told apart from fbuild's
// own and from another tool's (signature.ts): the arguments the kit appends read back the same, and a process
// is the tool's daemon only with its entry script and its name. (Real processes: test/integration/daemon/
// any-program.test.ts.)
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkDefinition, FBUILD_DEFINITION } from '../../../../src/daemon/shared/definition.js';
import { daemonArgs, programOf, readDaemonArgs, recogniseDaemon } from '../../../../src/daemon/shared/signature.js';

const hello = { name: 'hello', command: ['/usr/bin/node', '/opt/hello/hello-daemon.mjs'] };
const view = (argv: string[]) => ({ pid: null, argv, exe: null });
const NAME = fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9._-]{0,20}$/);

describe('a daemon definition', () => {
  it('reads back the state directory and name the kit appended, after any command', () => {
    fc.assert(
      fc.property(fc.array(fc.string()), fc.string({ minLength: 1 }), NAME, (cmd, dir, name) => {
        const argv = [...cmd.filter((a) => !a.startsWith('--')), ...daemonArgs(dir, name)];
        expect(readDaemonArgs(argv)).toEqual({ stateDir: dir, name });
      }),
    );
    expect(daemonArgs('/s')).toEqual(['--fbuild-daemon', '--state-dir=/s']); // fbuild's: unchanged, no name
    expect(readDaemonArgs(['node', 'x.mjs', '--state-dir=/s'])).toBeNull();
  });

  it('recognises the tool’s daemon by its entry script and name, never fbuild’s or another tool’s', () => {
    const argv = [...hello.command, ...daemonArgs('/s', 'hello')];
    expect(recogniseDaemon(view(argv), '/s', hello)).toMatchObject({ stateDir: '/s', serves: 'this' });
    expect(recogniseDaemon(view(argv), '/s')).toBeNull();
    expect(recogniseDaemon(view([...hello.command, ...daemonArgs('/s', 'other')]), '/s', hello)).toBeNull();
    expect(
      recogniseDaemon(view(['/usr/bin/node', '/opt/x/other.mjs', ...daemonArgs('/s', 'hello')]), '/s', hello),
    ).toBeNull();
    expect(recogniseDaemon(view(['timeout', '9', ...argv]), '/s', hello)).toBeNull();
    expect(programOf(FBUILD_DEFINITION).name).toBe('fbuild daemon');
    const native = { name: 'tool', command: ['/opt/tool/bin/toold', '--serve'] };
    expect(recogniseDaemon(view([...native.command, ...daemonArgs('/s', 'tool')]), '/s', native)).not.toBeNull();
  });

  it('rejects a bad name or an empty command with BAD_OPTION', () => {
    for (const def of [
      { name: '', command: ['node'] },
      { name: 'a b', command: ['node'] },
      { name: 'ok', command: [] },
      { name: 'ok', command: [''] },
    ])
      expect(() => checkDefinition(def), JSON.stringify(def)).toThrow(expect.objectContaining({ code: 'BAD_OPTION' }));
  });
});
