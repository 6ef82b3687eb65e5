// A host that embeds DaemonRuntime in its own process (docs/embedding.md) runs without the daemon's argv
// signature. Clients must treat it as the live owner it is: served by it, never taken over, and
// `stop --force` never signals a process it cannot recognise as the fbuild daemon.
import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { runFbuild } from '../../helpers/cli.js';
import { daemonSandboxes } from '../../helpers/daemon.js';

const sandbox = daemonSandboxes('fbuild-embedded-');
const INDEX = new URL('../../../dist/src/index.js', import.meta.url).href;

describe('an embedded runtime', () => {
  it('is served to clients as the owner, is not taken over, and is not killed by stop --force', async () => {
    const box = sandbox();
    const script = `const { DaemonRuntime, resolveConfig } = await import(${JSON.stringify(INDEX)});
      const rt = new DaemonRuntime(resolveConfig(process.env, process.env.FBUILD_DAEMON_DIR));
      const id = await rt.start();
      process.stdout.write(JSON.stringify(id) + '\\n');
      await rt.exited; process.exit(0);`;
    const host = spawn(process.execPath, ['--input-type=module', '-e', script], {
      env: box.env,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    box.onTeardown(() => host.kill('SIGKILL'));
    const identity = await new Promise<{ pid: number; nonce: string }>((resolve, reject) => {
      host.stdout!.once('data', (d: Buffer) => resolve(JSON.parse(d.toString())));
      host.once('exit', (code) => reject(new Error(`the host exited (${code})`)));
    });
    expect(identity.pid).toBe(host.pid);
    const batch = await box.startClients(5, 'ensure');
    for (const o of batch.outcomes)
      expect(o, JSON.stringify(o)).toMatchObject({ ok: true, spawned: false, identity: { nonce: identity.nonce } });
    process.kill(host.pid!, 'SIGSTOP'); // unresponsive: --force would kill a recognised daemon
    try {
      const stop = runFbuild(box.stateDir, ['daemon', 'stop', '--force', '--deadline', '3000']);
      expect(stop.code).toBe(4);
      expect(stop.stderr).toMatch(/not an fbuild daemon .* it was not signalled/);
      expect(host.exitCode).toBeNull();
    } finally {
      process.kill(host.pid!, 'SIGCONT');
    }
    expect((await box.ensure()).identity.nonce).toBe(identity.nonce);
  });

  it('ends its host process by itself after `fbuild daemon stop`: nothing of the runtime keeps it running', async () => {
    const box = sandbox();
    // no process.exit: the host's process ends only when the runtime has let go of every timer and handle
    const script = `const { DaemonRuntime, resolveConfig } = await import(${JSON.stringify(INDEX)});
      const rt = new DaemonRuntime(resolveConfig(process.env, process.env.FBUILD_DAEMON_DIR));
      await rt.start();
      process.stdout.write('ready\\n');
      await rt.exited;`;
    const host = spawn(process.execPath, ['--input-type=module', '-e', script], {
      env: box.env,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    box.onTeardown(() => host.kill('SIGKILL'));
    const exited = new Promise<number | null>((resolve) => host.once('exit', (code) => resolve(code)));
    await new Promise<void>((resolve) => host.stdout!.once('data', () => resolve()));
    const stop = runFbuild(box.stateDir, ['daemon', 'stop', '--deadline', '20000']);
    expect(stop.code, stop.stderr).toBe(0);
    expect(await exited).toBe(0);
  });
});
