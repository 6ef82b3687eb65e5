// What `fbuild daemon status` loads: the CLI's entry and a few chunks (the daemon commands bundled as one, not
// a file per shared module), and not node:child_process (the lock library runs programs only on macOS and
// Windows, and loads child_process there on first use). Observed in the real process: a module hook logs every
// file Node loads as ES module, and Node's own list of loaded built-ins is written at exit.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
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

/** Preload files that record what the process loads into `files.log` and `builtins.log` of `into`. */
function recorder(into: string): string[] {
  writeFileSync(
    join(into, 'hooks.mjs'),
    `import { appendFileSync } from 'node:fs';
export async function load(url, context, next) {
  if (url.startsWith('file:')) appendFileSync(${JSON.stringify(join(into, 'files.log'))}, url + '\\n');
  return next(url, context);
}\n`,
  );
  writeFileSync(
    join(into, 'register.mjs'),
    `import { register } from 'node:module';\nregister(${JSON.stringify(pathToFileURL(join(into, 'hooks.mjs')).href)});\n`,
  );
  writeFileSync(
    join(into, 'builtins.cjs'),
    `process.on('exit', () => require('node:fs').writeFileSync(${JSON.stringify(join(into, 'builtins.log'))}, process.moduleLoadList.join('\\n')));\n`,
  );
  return ['--require', join(into, 'builtins.cjs'), '--import', pathToFileURL(join(into, 'register.mjs')).href];
}

describe('fbuild daemon status: what it loads', () => {
  it('the entry and at most three chunks, and not node:child_process', () => {
    const dir = join(newDir(), 'd');
    dirs.push(dir);
    expect(runFbuild(dir, ['daemon', 'start', '--deadline', '15000']).code).toBe(0);
    const logs = newDir();
    const r = runFbuild(dir, ['daemon', 'status', '--json'], 30_000, { NODE_OPTIONS: recorder(logs).join(' ') });
    expect(r.code, r.stderr).toBe(0);
    expect(r.json).toMatchObject({ running: true });

    const files = readFileSync(join(logs, 'files.log'), 'utf8').trim().split('\n');
    const bin = pathToFileURL(join(cliEntry(), '..')).href;
    const ours = files.filter((u) => u.startsWith(bin));
    expect(ours[0]).toBe(pathToFileURL(cliEntry()).href);
    expect(ours.length, ours.join('\n')).toBeLessThanOrEqual(4);
    const builtins = readFileSync(join(logs, 'builtins.log'), 'utf8').split('\n');
    expect(builtins).toContain('NativeModule net');
    expect(builtins).not.toContain('NativeModule child_process');
  });
});
