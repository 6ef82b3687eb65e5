// Reading a command line the way its interpreter does (src/daemon/shared/command-line.ts): the entry a process
// runs and the arguments that entry gets. Property tests build command lines the way node and python accept them
// and check the parse finds exactly the entry and arguments that were put in.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseNativeArgv, parseNodeArgv, parsePythonArgv } from '../../../../src/daemon/shared/command-line.js';

const word = fc.string({ minLength: 1, maxLength: 12 });
const positional = word.filter((w) => !w.startsWith('-'));
const args = fc.array(fc.string({ maxLength: 12 }), { maxLength: 5 });

/** node options that run the script: flags, `--opt=value`, and options whose value is the next argument */
const nodeOption = fc.oneof(
  fc.constantFrom(['--no-warnings'], ['--trace-uncaught'], ['--inspect'], ['--max-old-space-size=64']),
  fc.tuple(fc.constantFrom('-r', '--require', '--import', '--title', '-C', '--loader'), word).map((t) => [...t]),
  fc.tuple(fc.constantFrom('--title=', '--require=', '--import='), word).map(([o, v]) => [`${o}${v}`]),
);

describe('parseNodeArgv', () => {
  it('the script is the first argument after the options; its arguments follow (property)', () => {
    fc.assert(
      fc.property(
        fc.array(nodeOption, { maxLength: 4 }),
        fc.boolean(),
        positional,
        args,
        (opts, dashes, script, rest) => {
          const argv = ['node', ...opts.flat(), ...(dashes ? ['--'] : []), script, ...rest];
          expect(parseNodeArgv(argv)).toEqual({ entry: { kind: 'script', path: script }, args: rest });
        },
      ),
    );
  });

  it('inline code, a syntax check, the test runner and watch mode run no main program (property)', () => {
    const mode = fc.constantFrom(['-e', 'x'], ['--eval=x'], ['-p', 'x'], ['-pe', 'x'], ['-c'], ['--test'], ['--watch']);
    fc.assert(
      fc.property(fc.array(nodeOption, { maxLength: 3 }), mode, args, (opts, m, rest) => {
        expect(parseNodeArgv(['node', ...opts.flat(), ...m, ...rest]).entry).toEqual({ kind: 'none' });
      }),
    );
  });

  it('reads a wrapper as the program the wrapper is', () => {
    const daemon = ['node', '/k/dist/bin/daemon.mjs', '--fbuild-daemon', '--state-dir=/s'];
    expect(parseNodeArgv(['timeout', '300', ...daemon]).entry).toEqual({ kind: 'script', path: '300' });
    expect(parseNodeArgv(['strace', '-f', ...daemon]).entry).toEqual({ kind: 'script', path: 'node' });
    expect(parseNodeArgv(['flock', '/tmp/l', ...daemon]).entry).toEqual({ kind: 'script', path: '/tmp/l' });
    expect(parseNodeArgv(['node', '-e', 'setInterval(()=>{},1e3)', '--', '--fbuild-daemon']).entry.kind).toBe('none');
    expect(parseNodeArgv(['node', '--stack-size', '2000', 'x.js']).entry).toEqual({ kind: 'script', path: '2000' });
    expect(parseNodeArgv(['node']).entry.kind).toBe('none');
    expect(parseNodeArgv(['node', '-']).entry.kind).toBe('none');
  });
});

/** python options that do not end option parsing, each as the arguments it takes */
const pyOption = fc.oneof(
  fc.constantFrom(['-B'], ['-u'], ['-Bu'], ['-E'], ['-OO'], ['-Wd'], ['-Xdev'], ['-W', 'ignore'], ['-X', 'dev']),
  fc.constant(['--check-hash-based-pycs', 'always']),
);

describe('parsePythonArgv', () => {
  it('finds -m MODULE, -c CODE or a script after any options, and the arguments after it (property)', () => {
    const run = fc.oneof(
      fc
        .tuple(fc.constantFrom('-m', '-Bm'), word)
        .map(([o, m]) => ({ argv: [o, m], entry: { kind: 'module', name: m } })),
      word.map((m) => ({ argv: [`-m${m}`], entry: { kind: 'module', name: m } })),
      fc.tuple(fc.constantFrom('-c', '-uc'), word).map(([o, c]) => ({ argv: [o, c], entry: { kind: 'none' } })),
      positional.map((s) => ({ argv: [s], entry: { kind: 'script', path: s } })),
    );
    fc.assert(
      fc.property(fc.array(pyOption, { maxLength: 4 }), run, args, (opts, r, rest) => {
        expect(parsePythonArgv(['python3', ...opts.flat(), ...r.argv, ...rest])).toEqual({
          entry: r.entry,
          args: rest,
        });
      }),
    );
  });

  it('after -c CODE nothing is a module, whatever follows (property)', () => {
    fc.assert(
      fc.property(
        word,
        fc.array(fc.constantFrom('-m', 'fbuild.daemon.daemon', '--spawned-by=1', '-c'), { maxLength: 6 }),
        (code, rest) => {
          expect(parsePythonArgv(['python3', '-c', code, ...rest]).entry).toEqual({ kind: 'none' });
        },
      ),
    );
  });

  it('never throws on any argv (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ maxLength: 8 }), { maxLength: 8 }), (argv) => {
        parsePythonArgv(argv);
        parseNodeArgv(argv);
        parseNativeArgv(argv);
      }),
    );
  });

  it('stdin, the REPL and a missing option value run no module', () => {
    expect(parsePythonArgv(['python3', '-', 'x']).entry.kind).toBe('none');
    expect(parsePythonArgv(['python3', '-u']).entry.kind).toBe('none');
    expect(parsePythonArgv(['python3', '-m']).entry.kind).toBe('none');
    expect(parsePythonArgv(['python3', '--', '-m', 'x'])).toEqual({
      entry: { kind: 'script', path: '-m' },
      args: ['x'],
    });
  });
});

describe('parseNativeArgv', () => {
  it('is its own entry', () => {
    expect(parseNativeArgv(['/bin/fbuild-daemon', '--dev'])).toEqual({
      entry: { kind: 'script', path: '/bin/fbuild-daemon' },
      args: ['--dev'],
    });
    expect(parseNativeArgv([]).entry.kind).toBe('none');
  });
});
