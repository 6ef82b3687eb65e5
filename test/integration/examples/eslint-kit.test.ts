// examples/eslint-kit, a drop-in for eslint_d on the kit, run as real processes against the repository's real
// eslint: for files with errors, with warnings only, a fixable file (--fix), stdin and a broken config, its
// stdout, stderr and exit code are exactly those of `eslint` itself on the same files; 20 concurrent clients
// on a cold start are answered by one daemon process; `eslint-kit stop` leaves none.
import { spawn } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stopDaemon } from '../../../src/daemon/client/stop.js';
import type { DaemonDefinition } from '../../../src/daemon/shared/definition.js';
import { daemonArgs, programOf } from '../../../src/daemon/shared/signature.js';
import { projectRoot } from '../../../src/paths.js';
import { carryingSync } from '../../helpers/daemon.js';
import { tempDirs } from '../../helpers/tmp.js';

const dirs = tempDirs('fbuild-eslint-kit-');
const CLIENT = join(projectRoot, 'examples', 'eslint-kit', 'eslint-kit.mjs');
const kit: DaemonDefinition = {
  name: 'eslint-kit',
  command: [process.execPath, join(projectRoot, 'examples', 'eslint-kit', 'eslint-kit-daemon.mjs')],
};
/** the repository's eslint (a devDependency): both sides of every comparison run this one */
const require = createRequire(join(projectRoot, 'package.json'));
const ESLINT = dirname(require.resolve('eslint/package.json'));
const ESLINT_BIN = join(ESLINT, 'bin', 'eslint.js');

const CONFIG = `export default [
  {
    files: ['src/**/*.js'],
    languageOptions: { ecmaVersion: 2022, sourceType: 'module' },
    rules: { semi: 'error', 'no-unused-vars': 'warn', 'no-undef': 'error', eqeqeq: 'warn', 'prefer-const': 'error' },
  },
];
`;
const FILES = {
  'src/errors.js': 'let answer = 42\nexport const twice = answer * 2;\nundefinedThing();\n',
  'src/warnings.js': 'const unused = 1;\nexport const same = (a, b) => a == b;\n',
  'src/fixable.js': 'let a = 1\nlet b = a + 1\nexport { a, b }\n',
  'src/clean.js': 'export const one = 1;\n',
} as const;

interface Run {
  stdout: string;
  stderr: string;
  code: number | null;
}

function run(file: string, args: string[], cwd: string, stateDir: string, stdin?: string): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [file, ...args], {
      cwd,
      env: { ...process.env, FBUILD_DAEMON_DIR: stateDir, ESLINT_KIT_DIR: '' },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d));
    child.stderr.on('data', (d: Buffer) => (stderr += d));
    child.once('error', reject);
    child.once('close', (code) => resolve({ stdout, stderr, code }));
    child.stdin.end(stdin ?? '');
  });
}

/** a project in a temp dir whose node_modules/eslint is the repository's */
function project(config: string): string {
  const dir = dirs();
  mkdirSync(join(dir, 'src'));
  mkdirSync(join(dir, 'node_modules'));
  symlinkSync(ESLINT, join(dir, 'node_modules', 'eslint'), 'dir');
  writeFileSync(join(dir, 'package.json'), '{ "name": "lint-me", "private": true, "type": "module" }\n');
  writeFileSync(join(dir, 'eslint.config.js'), config);
  for (const [name, text] of Object.entries(FILES)) writeFileSync(join(dir, name), text);
  return dir;
}

const daemonsOf = (stateDir: string) =>
  carryingSync({ kind: 'program', program: programOf(kit), args: daemonArgs(stateDir, kit.name) });
/** the daemon processes that ever started in `stateDir`: each writes its pid on every line of daemon.log */
const loggedPids = (stateDir: string) =>
  new Set([...readFileSync(join(stateDir, 'daemon.log'), 'utf8').matchAll(/\[(\d+)\]/g)].map((m) => m[1]));

const states: string[] = [];
afterAll(async () => {
  for (const stateDir of states) await stopDaemon({ stateDir, daemon: kit, force: true });
});

describe('eslint-kit: eslint through a daemon on the kit', () => {
  let proj = '';
  let stateDir = '';
  const kitRun = (args: string[], stdin?: string) => run(CLIENT, args, proj, stateDir, stdin);
  const eslintRun = (args: string[], stdin?: string) => run(ESLINT_BIN, args, proj, stateDir, stdin);

  beforeAll(() => {
    proj = project(CONFIG);
    stateDir = dirs();
    states.push(stateDir);
  });

  it('20 concurrent clients on a cold start: one daemon process answers all of them, as eslint would', async () => {
    const expected = await eslintRun(['src/errors.js']);
    expect(expected.code).toBe(1);
    const runs = await Promise.all(Array.from({ length: 20 }, () => kitRun(['src/errors.js'])));
    for (const r of runs) expect(r).toEqual(expected);
    const alive = daemonsOf(stateDir);
    expect(alive).toHaveLength(1);
    expect([...loggedPids(stateDir)]).toEqual([String(alive[0])]);
    const status = await kitRun(['status']);
    expect(status.stdout).toContain(`running, pid ${alive[0]} eslint `);
  });

  it.each([
    ['errors', ['src/errors.js'], 1],
    ['warnings only', ['src/warnings.js'], 0],
    ['a clean file', ['src/clean.js'], 0],
    ['every file, JSON output', ['--format', 'json', 'src'], 1],
    ['--max-warnings 0', ['--max-warnings', '0', 'src/warnings.js'], 1],
    ['a file that does not exist', ['src/missing.js'], 2],
    ['an unknown option', ['--no-such-option', 'src/clean.js'], 2],
    ['--color (on a pipe)', ['--color', 'src/errors.js'], 1],
  ])('%s: the same stdout, stderr and exit code as eslint', async (_what, args, code) => {
    const expected = await eslintRun(args);
    expect(expected.code).toBe(code);
    expect(await kitRun(args)).toEqual(expected);
  });

  it('--stdin --stdin-filename: lints the text it reads, as eslint does (also with --fix-dry-run)', async () => {
    for (const args of [
      ['--stdin', '--stdin-filename', 'src/typed.js'],
      ['--stdin', '--stdin-filename', 'src/typed.js', '--fix-dry-run', '--format', 'json'],
    ]) {
      const text = FILES['src/fixable.js'] + FILES['src/errors.js']; // fixable, and errors a fix leaves
      const expected = await eslintRun(args, text);
      expect(expected.code).toBe(1);
      expect(await kitRun(args, text)).toEqual(expected);
    }
  });

  it('--fix rewrites the file exactly as eslint --fix does, with the same report', async () => {
    const file = join(proj, 'src', 'fixable.js');
    const expected = await eslintRun(['--fix', 'src/fixable.js']);
    const fixed = readFileSync(file, 'utf8');
    expect(fixed).not.toBe(FILES['src/fixable.js']);
    writeFileSync(file, FILES['src/fixable.js']);
    expect(await kitRun(['--fix', 'src/fixable.js'])).toEqual(expected);
    expect(readFileSync(file, 'utf8')).toBe(fixed);
  });

  it('a broken eslint.config.js (syntax, bad rule setting): the same fatal report, exit 2', async () => {
    for (const config of ['export default [ {\n', "export default [{ rules: { semi: 'bogus' } }];\n"]) {
      writeFileSync(join(proj, 'eslint.config.js'), config);
      const expected = await eslintRun(['src/clean.js']);
      expect(expected.code).toBe(2);
      expect(expected.stderr).toContain('Oops! Something went wrong!');
      expect(await kitRun(['src/clean.js'])).toEqual(expected);
    }
    writeFileSync(join(proj, 'eslint.config.js'), CONFIG);
    expect(await kitRun(['src/clean.js'])).toEqual({ stdout: '', stderr: '', code: 0 });
  });

  it('a project without eslint: a clear message, exit 2', async () => {
    const bare = dirs();
    writeFileSync(join(bare, 'a.js'), 'export {};\n');
    const r = await run(CLIENT, ['a.js'], bare, stateDir);
    expect(r).toMatchObject({ stdout: '', code: 2 });
    expect(r.stderr).toContain(`eslint-kit: no eslint found from ${bare}`);
  });

  it('eslint-kit stop: the daemon is gone, status says so', async () => {
    const [pid] = daemonsOf(stateDir);
    expect(pid).toBeDefined();
    expect(await kitRun(['stop'])).toEqual({ stdout: `eslint-kit: stopped pid ${pid}\n`, stderr: '', code: 0 });
    expect(daemonsOf(stateDir)).toEqual([]);
    expect(await kitRun(['status'])).toEqual({ stdout: 'eslint-kit: not running\n', stderr: '', code: 0 });
  });
});

// the fixture project the rig's eslint_d and eslint-kit targets lint: clean, so both exit 0 with no output
describe('eslint-kit on the rig fixture', () => {
  it('lints fixtures/targets/eslint-project clean, as eslint does', async () => {
    const proj = dirs();
    const stateDir = dirs();
    states.push(stateDir);
    cpSync(join(projectRoot, 'fixtures', 'targets', 'eslint-project'), proj, { recursive: true });
    mkdirSync(join(proj, 'node_modules'));
    symlinkSync(ESLINT, join(proj, 'node_modules', 'eslint'), 'dir');
    const expected = await run(ESLINT_BIN, ['src/a.js', 'src/b.js'], proj, stateDir);
    expect(expected).toEqual({ stdout: '', stderr: '', code: 0 });
    expect(await run(CLIENT, ['src/a.js', 'src/b.js'], proj, stateDir)).toEqual(expected);
  });
});
