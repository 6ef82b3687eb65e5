// The package as a stranger gets it: `pnpm pack`, then `npm install <tarball>` into a fresh project outside the
// repository (no workspace links), and examples/hello-daemon run there against its own daemon. One pack, one
// install (dist/ is built before the suite runs, so the pack skips its prepack build).
import { type ExecFileSyncOptions, execFile, execFileSync } from 'node:child_process';
import { copyFileSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stopDaemon } from '../../../src/daemon/client/stop.js';
import { projectRoot } from '../../../src/paths.js';
import { isAlive } from '../../../src/process/index.js';
import { tempDirs } from '../../helpers/tmp.js';

const run = promisify(execFile);
const dirs = tempDirs('fbuild-pack-');
const EXAMPLE = join(projectRoot, 'examples', 'hello-daemon');
/** what the rig, the tests and the tool chain use: none of it may come with the package (serialport itself
 * depends on @serialport/binding-mock, so that one is not ours to leave out) */
const NOT_SHIPPED = [
  'fast-check',
  'ps-list',
  'vitest',
  'playwright-core',
  'typescript',
  'rolldown',
  'knip',
  'dependency-cruiser',
  '@biomejs',
  '@types',
  '@action-validator',
];

let proj = '';
let stateDir = '';
let files: string[] = [];
const hello = () => ({ name: 'hello', command: [process.execPath, join(proj, 'hello-daemon.mjs')] });

beforeAll(async () => {
  const out = dirs();
  proj = dirs();
  stateDir = dirs();
  const quiet: ExecFileSyncOptions = { cwd: projectRoot, stdio: ['ignore', 'pipe', 'pipe'] };
  execFileSync('pnpm', ['pack', '--ignore-scripts', '--pack-destination', out], quiet);
  const [tarball] = readdirSync(out).filter((f) => f.endsWith('.tgz'));
  files = execFileSync('tar', ['tzf', join(out, tarball!)], { encoding: 'utf8' })
    .trim()
    .split('\n');
  writeFileSync(join(proj, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
  await run(
    'npm',
    ['install', '--prefer-offline', '--ignore-scripts', '--no-audit', '--no-fund', join(out, tarball!)],
    {
      cwd: proj,
    },
  );
  for (const f of ['hello.mjs', 'hello-daemon.mjs']) copyFileSync(join(EXAMPLE, f), join(proj, f));
}, 180_000);

afterAll(async () => {
  if (proj) await stopDaemon({ stateDir, daemon: hello(), force: true });
});

const client = async (arg: string) => {
  const { stdout } = await run(process.execPath, [join(proj, 'hello.mjs'), arg], {
    cwd: proj,
    env: { ...process.env, FBUILD_DAEMON_DIR: stateDir },
  });
  return JSON.parse(stdout);
};

describe('the packed package, installed into a fresh project', () => {
  it('ships the library, the bundled entries, README and LICENSE — no tests, rig or fixtures', async () => {
    expect(files).toEqual(
      expect.arrayContaining([
        'package/dist/src/index.js',
        'package/dist/src/index.d.ts',
        'package/dist/bin/daemon.cjs',
        'package/dist/bin/client.mjs',
        'package/dist/bin/fbuild.cjs',
        'package/README.md',
        'package/LICENSE',
      ]),
    );
    expect(
      files.filter((f) => !/^package\/(dist\/src\/|dist\/bin\/|README\.md$|LICENSE$|package\.json$)/.test(f)),
    ).toEqual([]);
    const top = join(proj, 'node_modules');
    const installed = readdirSync(top).flatMap((n) =>
      n.startsWith('@') ? readdirSync(join(top, n)).map((m) => `${n}/${m}`) : [n],
    );
    expect(installed).toContain('fbuild-daemon-kit');
    // the `fbuild` CLI comes with it, linked into node_modules/.bin
    const version = execFileSync(join(top, '.bin', 'fbuild'), ['--version'], { encoding: 'utf8' });
    expect(version.trim()).toBe(JSON.parse(readFileSync(join(projectRoot, 'package.json'), 'utf8')).version);
    expect(installed.filter((n) => NOT_SHIPPED.some((x) => n === x || n.startsWith(`${x}/`)))).toEqual([]);
    // the client alone, as a separate entry (one bundled file)
    const { stdout: sub } = await run(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        "const m = await import('fbuild-daemon-kit/client'); console.log(typeof m.requestDaemon, typeof m.DaemonRuntime)",
      ],
      { cwd: proj },
    );
    expect(sub.trim()).toBe('function undefined');
  });

  it('runs examples/hello-daemon there: 20 concurrent clients, one daemon answering all, stop leaves none', async () => {
    const answers = await Promise.all(Array.from({ length: 20 }, (_, i) => client(`c${i}`)));
    const pids = new Set(answers.map((a) => a.pid));
    expect(pids.size).toBe(1);
    expect(answers.map((a) => a.hello)).toEqual(answers.map((_, i) => `c${i}`));
    expect(answers.filter((a) => a.spawned)).toHaveLength(1);
    const [pid] = [...pids] as [number];
    const stop = await client('stop');
    expect(stop).toMatchObject({ stopped: true, pid, identity: { name: 'hello' } });
    expect(isAlive(pid)).toBe(false);
  });

  it('imports from CommonJS (require of ESM, Node >= 20.19) and type-checks under tsc --strict', async (t) => {
    const consumer = `import { DaemonRuntime, type DaemonDefinition, requestDaemon, stopDaemon } from 'fbuild-daemon-kit';
import { probeDaemon } from 'fbuild-daemon-kit/client';
const daemon: DaemonDefinition = { name: 'hello', command: [process.execPath, './hello-daemon.mjs'] };
export async function main(stateDir: string): Promise<number> {
  const { identity } = await requestDaemon('greet', { who: 'me' }, { stateDir, daemon });
  (await probeDaemon({ stateDir, daemon }))?.close();
  await stopDaemon({ stateDir, daemon });
  const rt: DaemonRuntime = DaemonRuntime.fromArgv(process.argv);
  rt.register('greet', async (params) => ({ hello: (params as { who: string }).who }));
  return identity.pid;
}\n`;
    writeFileSync(join(proj, 'consumer.ts'), consumer);
    const types = join(projectRoot, 'node_modules', '@types'); // the consumer's own @types/node, as any Node project has
    const compilerOptions = {
      strict: true,
      module: 'nodenext',
      target: 'es2022',
      noEmit: true,
      typeRoots: [types],
      types: ['node'],
    };
    writeFileSync(join(proj, 'tsconfig.json'), JSON.stringify({ compilerOptions, files: ['consumer.ts'] }));
    const tsc = join(projectRoot, 'node_modules', 'typescript', 'bin', 'tsc');
    await run(process.execPath, [tsc, '-p', proj], { cwd: proj });
    if (!process.features.require_module) t.skip(); // require(esm): Node >= 20.19
    writeFileSync(
      join(proj, 'consumer.cjs'),
      `const k = require('fbuild-daemon-kit');\nconsole.log(typeof k.requestDaemon, typeof k.DaemonRuntime.fromArgv);\n`,
    );
    const { stdout } = await run(process.execPath, [join(proj, 'consumer.cjs')], { cwd: proj });
    expect(stdout.trim()).toBe('function function');
  });
});
