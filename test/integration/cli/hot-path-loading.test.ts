// What `fbuild daemon status` loads: the CLI's entry and a few chunks (the daemon commands bundled as one, not
// a file per shared module), all as CommonJS — no ES module machinery beyond what an empty CommonJS program loads
// (an ES-module entry starts the loader's module jobs on every run on Node 20: scripts/build.mjs) — not the lock
// library (status only reaches a running daemon: src/daemon/shared/client-config.ts) and not node:child_process.
// Observed in the real process: a preload writes, at exit, the files Node loaded as CommonJS modules and its own
// list of loaded built-ins.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { stopDaemon } from '../../../src/daemon/client/stop.js';
import { cliEntry } from '../../../src/paths.js';
import { runFbuild } from '../../helpers/cli.js';
import { tempDirs } from '../../helpers/tmp.js';

const newDir = tempDirs('fbuild-hotload-');
const dirs: string[] = [];

afterEach(async () => {
  for (const dir of dirs.splice(0)) await stopDaemon({ stateDir: dir, force: true, deadlineMs: 5_000 }).catch(() => {});
});

/** A preload that writes what the process loaded into `loaded.json` of `into`; its NODE_OPTIONS. */
function recorder(into: string): string {
  const preload = join(into, 'record.cjs');
  writeFileSync(
    preload,
    `process.on('exit', () => require('node:fs').writeFileSync(${JSON.stringify(join(into, 'loaded.json'))}, JSON.stringify({ files: Object.keys(require.cache), builtins: process.moduleLoadList })));\n`,
  );
  return `--require ${preload}`;
}

describe('fbuild daemon status: what it loads', () => {
  it('the entry and at most three chunks as CommonJS, no more ES module machinery than an empty program, not the lock library and not node:child_process', () => {
    const dir = join(newDir(), 'd');
    dirs.push(dir);
    expect(runFbuild(dir, ['daemon', 'start', '--deadline', '15000']).code).toBe(0);
    const logs = newDir();
    const r = runFbuild(dir, ['daemon', 'status', '--json'], 30_000, { NODE_OPTIONS: recorder(logs) });
    expect(r.code, r.stderr).toBe(0);
    expect(r.json).toMatchObject({ running: true });

    const loaded = JSON.parse(readFileSync(join(logs, 'loaded.json'), 'utf8')) as {
      files: string[];
      builtins: string[];
    };
    const ours = loaded.files.filter((f) => dirname(f) === dirname(cliEntry()));
    expect(ours[0]).toBe(cliEntry());
    expect(ours.length, ours.join('\n')).toBeLessThanOrEqual(4);
    expect(loaded.builtins).toContain('NativeModule net');
    expect(loaded.builtins).not.toContain('NativeModule child_process');
    // the lock library's strategy object, by its name in the bundle: in some file of the build, in none status loaded
    const hasLock = (file: string) => readFileSync(file, 'utf8').includes('const ownerRecordLock = {');
    const binDir = dirname(cliEntry());
    expect(readdirSync(binDir).some((f) => hasLock(join(binDir, f)))).toBe(true);
    expect(ours.filter(hasLock)).toEqual([]);
    // No ES module machinery beyond what a CommonJS program that only loads node:module (as the entry does, for the
    // compile cache) loads on this Node: on Node 20 that is none of the module jobs, linking and translators an .mjs
    // entry loads; Node 24 has them in every process.
    const esm = (builtins: string[]) => builtins.filter((m) => m.startsWith('NativeModule internal/modules/esm/'));
    const control = newDir();
    writeFileSync(join(control, 'empty.cjs'), "require('node:module');\n");
    execFileSync(process.execPath, [join(control, 'empty.cjs')], {
      env: { ...process.env, NODE_OPTIONS: recorder(control) },
    });
    const bare = JSON.parse(readFileSync(join(control, 'loaded.json'), 'utf8')) as { builtins: string[] };
    expect(esm(loaded.builtins).filter((m) => !esm(bare.builtins).includes(m))).toEqual([]);
  });
});
