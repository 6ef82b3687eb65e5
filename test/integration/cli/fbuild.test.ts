// The real `fbuild` binary (dist/bin/fbuild.cjs) as a user runs it: exit codes, --json documents, idempotent
// start/stop, logs, bad usage. Every daemon it starts is stopped; any survivor is killed by its verified pid.
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { stopDaemon } from '../../../src/daemon/client/stop.js';
import { resolveConfig } from '../../../src/daemon/shared/config.js';
import { cliEntry } from '../../../src/paths.js';
import { checkIdentity } from '../../../src/process/index.js';
import { runFbuild } from '../../helpers/cli.js';
import { tempDirs } from '../../helpers/tmp.js';

const newDir = tempDirs('fbuild-cli-');
const started: Array<{ dir: string; pid: number; startTime: string | null }> = [];

afterEach(async () => {
  for (const d of started.splice(0)) {
    try {
      process.kill(d.pid, 'SIGCONT');
    } catch {
      /* gone */
    }
    await stopDaemon({ stateDir: d.dir, force: true, deadlineMs: 5_000 }).catch(() => {});
    if (checkIdentity(d).status === 'alive') process.kill(d.pid, 'SIGKILL');
  }
});

const fbuild = (dir: string, ...args: string[]) => runFbuild(join(dir, 'd'), args);

describe('fbuild daemon', () => {
  it('status / start / start / status / logs / stop / stop: exit codes and JSON documents', () => {
    const dir = newDir();
    const none = fbuild(dir, 'daemon', 'status', '--json');
    expect(none.code).toBe(3);
    expect(none.json).toMatchObject({ schema: 1, ok: false, running: false });

    const first = fbuild(dir, 'daemon', 'start', '--json');
    expect(first.code).toBe(0);
    expect(first.json).toMatchObject({ schema: 1, ok: true, started: true, daemon: { protocol: 1 } });
    const id = first.json.daemon;
    started.push({ dir: join(dir, 'd'), pid: id.pid, startTime: id.startTime });

    const again = fbuild(dir, 'daemon', 'start');
    expect(again.code).toBe(0);
    expect(again.stdout).toContain(`already running: pid ${id.pid}`);

    const status = fbuild(dir, 'daemon', 'status', '--json');
    expect(status.code).toBe(0);
    expect(status.json).toMatchObject({
      running: true,
      daemon: { pid: id.pid, nonce: id.nonce },
      status: { state: 'ready' },
    });

    const logs = fbuild(dir, 'daemon', 'logs', '-n', '5');
    expect(logs.code).toBe(0);
    expect(logs.stdout).toContain(`claimed ${join(dir, 'd')}`);

    const stop = fbuild(dir, 'daemon', 'stop', '--json');
    expect(stop.code).toBe(0);
    expect(stop.json).toMatchObject({ stopped: true, daemon: { pid: id.pid } });
    expect(checkIdentity(id).status).not.toBe('alive');

    const stopAgain = fbuild(dir, 'daemon', 'stop');
    expect(stopAgain.code).toBe(0);
    expect(stopAgain.stdout).toContain('no fbuild daemon was running');
  });

  it('a stopped daemon: status exits 4 naming its pid; stop --force ends it; restart brings a new one', () => {
    const dir = newDir();
    const first = fbuild(dir, 'daemon', 'start', '--json').json.daemon;
    started.push({ dir: join(dir, 'd'), pid: first.pid, startTime: first.startTime });
    process.kill(first.pid, 'SIGSTOP');
    const status = fbuild(dir, 'daemon', 'status', '--deadline', '3000');
    expect(status.code).toBe(4);
    expect(status.stderr).toMatch(
      new RegExp(`daemon pid ${first.pid} is not responding \\(stopped.*\\[DAEMON_UNRESPONSIVE\\]`),
    );
    const stop = fbuild(dir, 'daemon', 'stop', '--force', '--deadline', '5000', '--json');
    expect(stop.code).toBe(0);
    expect(stop.json).toMatchObject({ stopped: true, forced: true, pid: first.pid });
    expect(checkIdentity(first).status).not.toBe('alive');
    const restart = fbuild(dir, 'daemon', 'restart', '--json');
    expect(restart.code).toBe(0);
    expect(restart.json.daemon.pid).not.toBe(first.pid);
    started.push({ dir: join(dir, 'd'), pid: restart.json.daemon.pid, startTime: restart.json.daemon.startTime });
  });

  it('a silent squatter on the endpoint: start, status and stop --force exit 6 (impostor) long before their deadline', async () => {
    const dir = newDir();
    const stateDir = join(dir, 'd');
    mkdirSync(stateDir, { mode: 0o700 });
    const path = resolveConfig({ ...process.env, FBUILD_DAEMON_DIR: stateDir }, stateDir).endpoint.path;
    // a process that accepts connections and never says a word (its own process: spawnSync blocks this one)
    const squatter = spawn(
      process.execPath,
      ['-e', `require('net').createServer(() => {}).listen(${JSON.stringify(path)}, () => console.log('ready'))`],
      {
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    try {
      await new Promise((r) => squatter.stdout!.once('data', r));
      for (const args of [
        ['daemon', 'start'],
        ['daemon', 'status'],
        ['daemon', 'stop', '--force'],
      ]) {
        const t0 = performance.now();
        const r = fbuild(dir, ...args, '--deadline', '20000');
        expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(6);
        expect(r.stderr).toMatch(/not an fbuild daemon.*\[IMPOSTOR\]/s);
        expect(performance.now() - t0, 'answered well before the 20 s deadline').toBeLessThan(15_000); // hang guard, not a speed claim
      }
      expect(squatter.exitCode, 'the squatter is reported, never killed').toBeNull();
    } finally {
      squatter.kill('SIGKILL');
    }
  });

  it('bad usage exits 2 with a message; --help documents the exit codes', () => {
    const dir = newDir();
    expect(fbuild(dir, 'daemon', 'start', '--deadline', 'soon').code).toBe(2);
    const unknown = fbuild(dir, 'daemon', 'frobnicate');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("unknown command 'frobnicate'");
    const help = fbuild(dir, '--help');
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/Exit codes:[\s\S]*3 {2}daemon status: no daemon is running[\s\S]*FBUILD_DAEMON_DIR/);
  });

  it('install: a relative path is resolved by the CLI, fetched once into the cache, then reported as cached', () => {
    const dir = newDir();
    writeFileSync(join(dir, 'pkg.tar.gz'), 'not really a tarball, but bytes all the same');
    const sha = createHash('sha256')
      .update(readFileSync(join(dir, 'pkg.tar.gz')))
      .digest('hex');
    const run = (...a: string[]) => {
      const r = spawnSync(process.execPath, [cliEntry(), ...a], {
        cwd: dir,
        env: { ...process.env, FBUILD_DAEMON_DIR: join(dir, 'd') },
        encoding: 'utf8',
        timeout: 30_000,
      });
      return { code: r.status, json: JSON.parse(r.stdout), stderr: r.stderr };
    };
    const first = run('install', 'pkg.tar.gz', '--json');
    expect(first.code, first.stderr).toBe(0);
    expect(first.json.install).toMatchObject({ sha256: sha, cached: false, source: join(dir, 'pkg.tar.gz') });
    const pid = fbuild(dir, 'daemon', 'status', '--json').json.daemon;
    started.push({ dir: join(dir, 'd'), pid: pid.pid, startTime: pid.startTime });
    expect(readFileSync(first.json.install.path, 'utf8')).toBe('not really a tarball, but bytes all the same');
    expect(run('install', 'pkg.tar.gz', '--json').json.install).toMatchObject({ sha256: sha, cached: true });
    const bad = run('install', 'ftp://example.invalid/x', '--json');
    expect(bad.code).toBe(1);
    expect(bad.json.error.code).toBe('INSTALL_BAD_SPEC');
  });

  it('an unsafe state directory exits 5 with the fix in the message', () => {
    const dir = newDir();
    const sd = join(dir, 'd');
    spawnSync('mkdir', ['-m', '777', sd]);
    const r = fbuild(dir, 'daemon', 'start');
    expect(r.code).toBe(5);
    expect(r.stderr).toMatch(/chmod 700.*\[STATE_DIR_UNSAFE\]/);
  });
});
