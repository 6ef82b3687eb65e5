// Target profile mechanics on fixtures, with real processes: install detection in a cache, the round's
// sandbox (every per-user location inside it), the census finding a round's daemons by argv and the round's
// environment marker (and nothing of another round), and the stop: daemons and helpers of the round ended
// by pid, a look-alike of another round untouched. The Python stand-in (fixtures/targets/fbuild-py-standin)
// plays fbuild's 1.3.x daemon.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { findDaemons } from '../../../../harness/census/index.js';
import { killDaemons } from '../../../../harness/census/kill-daemons.js';
import type { RoundContext, TargetLocation } from '../../../../harness/engine/strategy.js';
import { fbuildPy } from '../../../../harness/targets/fbuild-py.js';
import { locateNpm } from '../../../../harness/targets/install.js';
import { locateTarget } from '../../../../harness/targets/locate.js';
import { nx } from '../../../../harness/targets/nx.js';
import { sandboxEnv, sandboxOf } from '../../../../harness/targets/sandbox.js';
import { strategyFor } from '../../../../harness/targets/strategy.js';
import { linkTree } from '../../../../harness/targets/workspace.js';
import { projectRoot } from '../../../../src/paths.js';
import { childTarget, isRunning, terminateAll } from '../../../../src/process/index.js';
import { tempDirs } from '../../../helpers/tmp.js';

const newDir = tempDirs('fbuild-targets-');
const started: ChildProcess[] = [];
afterEach(async () => {
  await terminateAll(started.splice(0).map(childTarget), { signal: 'SIGKILL', graceMs: 5_000 });
});

// the interpreter itself, not a launcher shim
const py = spawnSync('python3', ['-c', 'import sys; print(sys.executable)'], { encoding: 'utf8' });
const hasPython = py.status === 0;
const standin = join(projectRoot, 'fixtures', 'targets', 'fbuild-py-standin');

/** Run `fn` with these variables in this process's environment, restoring them after. */
async function withEnv<T>(vars: Record<string, string | undefined>, fn: () => Promise<T>): Promise<T> {
  const saved = Object.fromEntries(Object.keys(vars).map((k) => [k, process.env[k]]));
  const set = (v: Record<string, string | undefined>): void => {
    for (const [k, x] of Object.entries(v)) {
      if (x === undefined) delete process.env[k];
      else process.env[k] = x;
    }
  };
  set(vars);
  try {
    return await fn();
  } finally {
    set(saved);
  }
}

describe('install detection', () => {
  it('an npm target is installed only when its finished marker and the exact version are in the cache', () => {
    const cache = newDir();
    expect(locateNpm('nx', 'nx', '23.2.1', cache)).toMatchObject({ installed: false, installable: true });
    const pkgDir = join(cache, 'nx@23.2.1', 'node_modules', 'nx');
    mkdirSync(pkgDir, { recursive: true });
    writeFileSync(join(pkgDir, 'package.json'), JSON.stringify({ name: 'nx', version: '23.2.1' }));
    // a half-finished install (no marker) is not installed
    expect(locateNpm('nx', 'nx', '23.2.1', cache).installed).toBe(false);
    writeFileSync(join(cache, 'nx@23.2.1', '.fbuild-rig-installed.json'), '{}');
    expect(locateNpm('nx', 'nx', '23.2.1', cache)).toEqual({
      installed: true,
      location: { name: 'nx', version: '23.2.1', source: 'cache', root: join(cache, 'nx@23.2.1') },
    });
    writeFileSync(join(pkgDir, 'package.json'), JSON.stringify({ name: 'nx', version: '23.2.0' }));
    expect(locateNpm('nx', 'nx', '23.2.1', cache).installed).toBe(false);
    expect(locateNpm('nx', 'nx', 'latest', cache).installed).toBe(false);
  });

  it.runIf(hasPython)(
    'fbuild-py refuses clearly, with a code and how to fix it, when python cannot import fbuild',
    async () => {
      const err = await withEnv(
        { FBUILD_RIG_PYTHON: py.stdout.trim(), PYTHONPATH: newDir(), FBUILD_RIG_FBUILD_PATH: '' },
        () => locateTarget('fbuild-py', null, newDir(), () => {}),
      ).catch((e: unknown) => e);
      expect(err).toMatchObject({ code: 'TARGET_NOT_INSTALLED' });
      expect((err as Error).message).toMatch(/cannot import fbuild.*pip install fbuild.*FBUILD_RIG_PYTHON/);
      const found = await withEnv(
        { FBUILD_RIG_PYTHON: py.stdout.trim(), PYTHONPATH: standin, FBUILD_RIG_FBUILD_PATH: '' },
        () => locateTarget('fbuild-py', null, newDir(), () => {}),
      );
      expect(found).toEqual({
        name: 'fbuild-py',
        version: '0.0.0+standin',
        source: 'system',
        root: join(standin, 'fbuild'),
        interpreter: py.stdout.trim(),
      });
    },
  );
});

describe('round isolation', () => {
  it('moves HOME, temp, XDG dirs and our state dir into the sandbox, marks the round, and drops the rig event log', () => {
    const sb = sandboxOf(newDir(), 'run-r1');
    const env = sandboxEnv(sb, { PATH: '/bin', HOME: '/root', FBUILD_EVENT_LOG: '/x' }, false);
    for (const k of [
      'HOME',
      'TMPDIR',
      'XDG_CONFIG_HOME',
      'XDG_CACHE_HOME',
      'XDG_DATA_HOME',
      'XDG_STATE_HOME',
      'XDG_RUNTIME_DIR',
      'FBUILD_DAEMON_DIR',
    ]) {
      expect(env[k]!.startsWith(sb.root + '/'), k).toBe(true);
    }
    expect(env).toMatchObject({ FBUILD_RIG_ROUND: 'run-r1', PATH: '/bin' });
    expect(env.FBUILD_EVENT_LOG).toBeUndefined();
    expect(sandboxEnv(sb, { FBUILD_EVENT_LOG: '/x' }, true).FBUILD_EVENT_LOG).toBe('/x');
  });

  it('nx: a git-initialised workspace with node_modules/nx pointing at the install and its socket dir in the sandbox', async () => {
    const root = newDir();
    mkdirSync(join(root, 'node_modules', 'nx'), { recursive: true });
    const t: TargetLocation = { name: 'nx', version: '0.0.0', source: 'cache', root };
    const strategy = strategyFor(nx);
    const ctx = { stateDir: newDir(), roundId: 'r', target: t } as RoundContext;
    await strategy.prepare!(ctx);
    const sb = sandboxOf(ctx.stateDir, 'r');
    expect(existsSync(join(sb.ws, 'nx.json'))).toBe(true);
    expect(existsSync(join(sb.ws, '.git'))).toBe(true);
    expect(spawnSync('git', ['status', '--porcelain'], { cwd: sb.ws, encoding: 'utf8' }).stdout).toBe('');
    expect(lstatSync(join(sb.ws, 'node_modules', 'nx')).isSymbolicLink()).toBe(true);
    const env = nx.env(sb, t);
    expect(env.NX_SOCKET_DIR!.startsWith(sb.run)).toBe(true);
    expect(statSync(env.NX_SOCKET_DIR!).mode & 0o777).toBe(0o700);
    expect(env).toMatchObject({ NX_NO_CLOUD: 'true', NX_DAEMON: 'true' });
  });

  it('eslint_d: the workspace gets node_modules of its own (hard links, symlinks kept), so its .eslint_d lands in the round', () => {
    const src = newDir();
    mkdirSync(join(src, 'eslint', 'lib'), { recursive: true });
    writeFileSync(join(src, 'eslint', 'package.json'), '{"version":"9.0.0"}');
    mkdirSync(join(src, '.bin'));
    spawnSync('ln', ['-s', '../eslint/package.json', join(src, '.bin', 'link')]);
    const dst = join(newDir(), 'node_modules');
    linkTree(src, dst);
    expect(statSync(join(dst, 'eslint', 'package.json')).ino).toBe(statSync(join(src, 'eslint', 'package.json')).ino);
    expect(lstatSync(join(dst, 'eslint')).isDirectory()).toBe(true);
    expect(lstatSync(join(dst, '.bin', 'link')).isSymbolicLink()).toBe(true);
    expect(readFileSync(join(dst, '.bin', 'link'), 'utf8')).toBe('{"version":"9.0.0"}');
  });
});

describe.runIf(hasPython && process.platform === 'linux')('census and stop (Python stand-in daemon)', () => {
  const python = py.stdout.trim();

  it("finds the round's daemons by argv and marker only, and the stop ends them and the round's helpers by pid", async () => {
    await withEnv(
      { FBUILD_RIG_PYTHON: python, PYTHONPATH: standin, FBUILD_RIG_FBUILD_PATH: '', FBUILD_STANDIN_STARTUP_S: '0.3' },
      async () => {
        const t = await locateTarget('fbuild-py', null, newDir(), () => {});
        const strategy = strategyFor(fbuildPy);
        const roundId = `mech-${process.pid}-${Date.now()}`;
        const ctx = {
          round: 1,
          roundId,
          stateDir: newDir(),
          eventLog: '',
          deadlineMs: 20_000,
          clientCmd: null,
          daemonMatch: null,
          stopCmd: null,
          target: t,
        } as RoundContext;
        await strategy.prepare!(ctx);
        // a look-alike of another round, and a helper of this round that is not a daemon
        const decoy = spawn(python, ['-m', 'fbuild.daemon.daemon', '--spawned-by=0'], {
          env: { ...process.env, HOME: newDir(), FBUILD_RIG_ROUND: 'another-round' },
          stdio: 'ignore',
        });
        const helper = spawn('sleep', ['60'], { env: { ...process.env, FBUILD_RIG_ROUND: roundId }, stdio: 'ignore' });
        started.push(decoy, helper);
        const outcomes = await Promise.all([1, 2, 3, 4].map(() => strategy.runClient(ctx)));
        expect(outcomes.map((o) => o.ok)).toEqual([true, true, true, true]);
        expect(outcomes[0]!.client).toMatch(/ensure_daemon_running/);
        const sig = strategy.signature(ctx);
        const found = await findDaemons(sig);
        expect(found.length).toBeGreaterThanOrEqual(1);
        const pids = found.map((p) => p.pid);
        expect(pids).not.toContain(decoy.pid);
        expect(pids).not.toContain(helper.pid);
        for (const p of found) expect(p.cmd).toMatch(/fbuild\.daemon\.daemon/);
        // the daemons' state went to the sandbox's HOME, not the user's
        expect(existsSync(join(sandboxOf(ctx.stateDir, roundId).home, '.fbuild', 'daemon', 'fbuild_daemon.pid'))).toBe(
          true,
        );
        expect(strategy.canStop(ctx)).toBe(false);
        expect((await killDaemons(sig)).sort()).toEqual(pids.sort());
        await strategy.cleanup!(ctx);
        await new Promise((r) => setTimeout(r, 100));
        expect(await findDaemons(sig)).toEqual([]);
        expect(isRunning(helper)).toBe(false);
        expect(isRunning(decoy)).toBe(true);
      },
    );
  });

  it('judges only the invariants the profile names', () => {
    const strategy = strategyFor(fbuildPy);
    const v = (i: 'I1' | 'I4' | 'I5' | 'I7') => ({ invariant: i, message: '', evidence: {} });
    expect(strategy.judge!([v('I1'), v('I4'), v('I5'), v('I7')]).map((x) => x.invariant)).toEqual(['I1']);
  });
});
