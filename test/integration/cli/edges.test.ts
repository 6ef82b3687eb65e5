// Smaller defects found by attacking the daemon from outside, each as a user meets it through the real CLI:
// a symlinked parent directory, a state directory opened to others while a daemon runs, a symlinked owner
// record, a newer daemon next to an older client, and a status call that races a shutdown.
import { chmodSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../../../src/daemon/shared/config.js';
import { ensureSecret } from '../../../src/daemon/shared/protocol/secret.js';
import { isFbuildError } from '../../../src/errors.js';
import { runFbuild } from '../../helpers/cli.js';
import { daemonSandboxes } from '../../helpers/daemon.js';
import { provingServer } from '../../helpers/daemon-wire.js';
import { tempDirs } from '../../helpers/tmp.js';

const sandbox = daemonSandboxes('fbuild-edges-');
const newDir = tempDirs('fbuild-edges-dirs-');

describe('edges', () => {
  it('the same state directory through a symlinked parent finds the same daemon (abstract endpoint too)', async () => {
    const real = newDir();
    const link = join(newDir(), 'link');
    symlinkSync(real, link);
    const box = sandbox({ env: { FBUILD_OWNERSHIP: 'abstract' } });
    // the daemon is started through the real path …
    const viaReal = { ...box.env, FBUILD_DAEMON_DIR: join(real, 'd') };
    const { ensureDaemon } = await import('../../../src/daemon/client/ensure.js');
    const first = await ensureDaemon({ env: viaReal, deadlineMs: 10_000 });
    box.onTeardown(async () => {
      const { stopDaemon } = await import('../../../src/daemon/client/stop.js');
      await stopDaemon({ env: viaReal, force: true, deadlineMs: 5_000 }).catch(() => {});
    });
    // … and reached through the symlinked one, by the CLI: the same daemon, not "not running"
    const env = { FBUILD_OWNERSHIP: 'abstract' };
    const status = runFbuild(join(link, 'd'), ['daemon', 'status', '--json'], 30_000, env);
    expect(status.code, status.stderr).toBe(0);
    expect(status.json.daemon.pid).toBe(first.identity.pid);
    const start = runFbuild(join(link, 'd'), ['daemon', 'start', '--json'], 30_000, env);
    expect(start.code, start.stderr).toBe(0);
    expect(start.json).toMatchObject({ started: false, daemon: { nonce: first.identity.nonce } });
  });

  it('a state directory opened to everyone while a daemon runs: start and status refuse it (exit 5)', async () => {
    const box = sandbox();
    await box.ensure();
    chmodSync(box.stateDir, 0o777);
    try {
      for (const args of [
        ['daemon', 'status'],
        ['daemon', 'start'],
      ]) {
        const r = runFbuild(box.stateDir, args);
        expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(5);
        expect(r.stderr).toMatch(/mode 0777.*\[STATE_DIR_UNSAFE\]/);
      }
    } finally {
      chmodSync(box.stateDir, 0o700);
    }
  });

  it('owner.json as a symbolic link: start exits 5 with LOCK_SYMLINK, not a spawn failure', () => {
    const d = join(newDir(), 'd');
    mkdirSync(d, { mode: 0o700 });
    writeFileSync(join(newDir(), 'elsewhere.json'), '{}');
    symlinkSync(join(d, '..', 'elsewhere.json'), join(d, 'owner.json'));
    const r = runFbuild(d, ['daemon', 'start', '--deadline', '5000', '--json']);
    expect(r.code, r.stdout).toBe(5);
    expect(r.json.error.code).toBe('LOCK_SYMLINK');
  });

  it('a newer daemon is never replaced by an older client: PROTOCOL_MISMATCH, the daemon keeps running', async () => {
    const box = sandbox();
    const newer = await box.ensure();
    const older = { ...box.env, FBUILD_DAEMON_PROTOCOL: '0' };
    const { ensureDaemon } = await import('../../../src/daemon/client/ensure.js');
    for (let i = 0; i < 3; i++) {
      const err = await ensureDaemon({ env: older, stateDir: box.stateDir, deadlineMs: 5_000 }).catch(
        (e: unknown) => e,
      );
      expect(isFbuildError(err, 'PROTOCOL_MISMATCH'), String(err)).toBe(true);
    }
    expect(box.alive()).toEqual([newer.identity.pid]);
    expect((await box.ensure()).identity.nonce).toBe(newer.identity.nonce);
    expect(box.count('spawn', 'client')).toBe(1);
  });

  it('status that races a shutdown (the daemon answers the handshake, then closes): exit 3 "shutting down", not a failure', async () => {
    const d = join(newDir(), 'd');
    mkdirSync(d, { mode: 0o700 });
    const config = resolveConfig({ ...process.env, FBUILD_DAEMON_DIR: d }, d);
    const secret = ensureSecret(config.files.secret);
    const identity = {
      pid: process.pid,
      startTime: null,
      nonce: 'cd'.repeat(12),
      version: '0.1.0',
      protocol: 1,
      endpoint: config.endpoint.display,
    };
    // a daemon in its last moment: it proves itself, then closes the connection on the first request
    const { server } = await provingServer(config.endpoint.path, secret, identity, { onRequest: 'close' });
    try {
      // the CLI runs in its own process, so this one keeps serving while it waits
      const { spawn } = await import('node:child_process');
      const { cliEntry } = await import('../../../src/paths.js');
      const child = spawn(process.execPath, [cliEntry(), 'daemon', 'status', '--json'], {
        env: { ...process.env, FBUILD_DAEMON_DIR: d },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let out = '';
      child.stdout.on('data', (b: Buffer) => (out += b.toString()));
      const code = await new Promise<number | null>((r) => child.once('close', r));
      expect(code, out).toBe(3);
      expect(JSON.parse(out)).toMatchObject({ running: false, stopping: true });
    } finally {
      await new Promise((r) => server.close(r));
    }
  });
});
