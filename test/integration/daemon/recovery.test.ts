// Recovery and self-exit: a SIGKILLed daemon is replaced; a leftover socket file is reclaimed, a live foreign
// listener never is; an idle daemon leaves; a fenced daemon leaves without touching the new owner's record.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { endpointFor } from '../../../src/daemon/shared/endpoint.js';
import { daemonArgs } from '../../../src/daemon/shared/signature.js';
import { isFbuildError } from '../../../src/errors.js';
import { daemonEntry } from '../../../src/paths.js';
import { readStartTime } from '../../../src/process/index.js';
import { daemonSandboxes, procState, type Sandbox, waitFor } from '../../helpers/daemon.js';

const sandbox = daemonSandboxes('fbuild-recover-');

async function killAndWait(pid: number): Promise<void> {
  process.kill(pid, 'SIGKILL');
  // dead means dead or a zombie: the signal was delivered and everything the process held is released
  await waitFor(() => procState(pid) === null || procState(pid) === 'Z', 5_000, `pid ${pid} to die`);
}

function listen(server: Server, path: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(path, () => resolve());
  });
}

function canConnect(path: string): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect(path, () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}

function expectNewOwner(box: Sandbox, pid: number, nonce: string): void {
  expect(box.alive()).toEqual([pid]);
  const owner = box.ownerRecord();
  expect(owner?.pid).toBe(pid);
  expect(owner?.nonce).toBe(nonce);
}

/** A valid owner record naming this (live) test process: what a second owner would have written. */
function foreignOwnerRecord(): string {
  const st = readStartTime(process.pid);
  return (
    JSON.stringify({
      v: 1,
      pid: process.pid,
      startTime: st.kind === 'ok' ? st.startTime : null,
      nonce: 'f0f0f0f0f0f0f0f0f0f0f0f0',
      hostname: hostname(),
      createdAt: new Date().toISOString(),
      version: '0.0.0-test',
      extra: { by: 'recovery.test.ts' },
    }) + '\n'
  );
}

describe('SIGKILL the daemon, ensure again', () => {
  it('a daemon started by another (exited) client process is SIGKILLed: the next ensure starts a new one and takes over owner.json', async () => {
    const box = sandbox();
    const { outcomes } = await box.startClients(1, 'ensure');
    const first = outcomes[0]!.identity!;
    expect(box.ownerRecord()?.pid).toBe(first.pid);
    await killAndWait(first.pid);
    const before = box.ownerRecord();
    expect(before?.nonce, 'SIGKILL leaves the owner record behind').toBe(first.nonce);
    const again = await box.ensure(5_000);
    expect(again.spawned).toBe(true);
    expect(again.identity.nonce).not.toBe(first.nonce);
    expect(again.identity.pid).not.toBe(first.pid);
    expectNewOwner(box, again.identity.pid, again.identity.nonce);
  });

  it('the killed daemon is still an unreaped zombie (its parent does not wait): ensure still recovers', async () => {
    // `sh -c 'daemon & exec sleep'`: the daemon's parent becomes `sleep`, which never reaps it, so after
    // SIGKILL the daemon stays a zombie — as it does for up to ~1 s on hosts whose init reaps slowly.
    const box = sandbox();
    mkdirSync(box.stateDir, { recursive: true, mode: 0o700 });
    const parent = spawn(
      'sh',
      ['-c', '"$0" "$@" & exec sleep 60', process.execPath, daemonEntry(), ...daemonArgs(box.stateDir)],
      {
        stdio: 'ignore',
        env: box.env,
      },
    );
    box.onTeardown(() => parent.kill('SIGKILL'));
    const ready = await waitFor(() => box.events().find((e) => e.ev === 'ready'), 10_000, 'the daemon to be ready');
    await killAndWait(ready.pid);
    expect(procState(ready.pid)).toBe('Z');
    let again: Awaited<ReturnType<Sandbox['ensure']>> | undefined;
    try {
      again = await box.ensure(4_000);
    } catch (err) {
      expect.fail(
        `ensureDaemon after SIGKILL failed while the dead daemon (pid ${ready.pid}) was a zombie: ${isFbuildError(err) ? err.code : ''} ${(err as Error).message}`,
      );
    }
    expect(again.identity.nonce).not.toBe(ready.nonce);
    expectNewOwner(box, again.identity.pid, again.identity.nonce);
  });
});

describe('socket files (FBUILD_OWNERSHIP=sockfile)', () => {
  it('a SIGKILLed sockfile daemon leaves d.sock behind; ensure reclaims it', async () => {
    const box = sandbox({ env: { FBUILD_OWNERSHIP: 'sockfile' } });
    const sock = endpointFor(box.stateDir, 'sockfile').path;
    const first = await box.ensure();
    expect(existsSync(sock)).toBe(true);
    await killAndWait(first.identity.pid);
    await waitFor(() => procState(first.identity.pid) === null, 5_000, 'our child daemon to be reaped');
    expect(statSync(sock).isSocket(), 'the leftover socket file').toBe(true);
    expect(await canConnect(sock), 'a leftover answers ECONNREFUSED').toBe(false);
    const again = await box.ensure(5_000);
    expect(again.identity.nonce).not.toBe(first.identity.nonce);
    expectNewOwner(box, again.identity.pid, again.identity.nonce);
    expect(await canConnect(sock)).toBe(true);
  });

  async function foreignListener(box: Sandbox, behaviour: 'hang-up' | 'silent') {
    mkdirSync(box.stateDir, { recursive: true, mode: 0o700 });
    const sock = endpointFor(box.stateDir, 'sockfile').path;
    const held: Socket[] = [];
    let connections = 0;
    const server = createServer((s) => {
      connections++;
      if (behaviour === 'hang-up') s.destroy();
      else held.push(s.on('error', () => {}));
    });
    await listen(server, sock);
    box.onTeardown(() => {
      for (const s of held) s.destroy();
      return new Promise((r) => server.close(r));
    });
    const ino = statSync(sock).ino;
    return {
      sock,
      connections: () => connections,
      async expectUntouched() {
        expect(server.listening).toBe(true);
        expect(statSync(sock).ino).toBe(ino);
        const seen = connections;
        expect(await canConnect(sock)).toBe(true);
        await waitFor(() => connections > seen, 2_000, 'the foreign listener to accept');
      },
    };
  }

  it('a live foreign listener on d.sock that hangs up: the spawned daemon exits ENDPOINT_IN_USE (4), the client gets ENDPOINT_IN_USE naming the endpoint, the listener is untouched', async () => {
    const box = sandbox({ env: { FBUILD_OWNERSHIP: 'sockfile' } });
    const foreign = await foreignListener(box, 'hang-up');
    const err = await box.ensure(8_000).then(
      () => null,
      (e: unknown) => e,
    );
    expect(isFbuildError(err), String(err)).toBe(true);
    if (!isFbuildError(err)) return;
    console.log(`[sockfile] foreign listener (hangs up): ${err.code}: ${err.message}`);
    expect(err.code).toBe('ENDPOINT_IN_USE');
    expect(err.message).toContain(endpointFor(box.stateDir, 'sockfile').display);
    const failed = box.events().filter((e) => e.ev === 'claim-failed');
    expect(failed.map((e) => e.code)).toEqual(['ENDPOINT_IN_USE']);
    expect(box.count('spawn', 'client')).toBe(1);
    expect(box.alive()).toEqual([]);
    expect(box.ownerRecord(), 'the daemon gave its owner lock back').toBeNull();
    await foreign.expectUntouched();
  });

  it('a live foreign listener on d.sock that accepts and says nothing: a daemon started directly exits 4; a client reports an impostor within its deadline', async () => {
    const box = sandbox({ env: { FBUILD_OWNERSHIP: 'sockfile' } });
    const foreign = await foreignListener(box, 'silent');
    const daemon = box.spawnDaemon();
    const code = await new Promise<number | null>((r) => daemon.once('exit', (c) => r(c)));
    expect(code).toBe(4);
    expect(
      box
        .events()
        .filter((e) => e.ev === 'claim-failed')
        .map((e) => e.code),
    ).toEqual(['ENDPOINT_IN_USE']);
    const t = Date.now();
    const err = await box.ensure(1_500).then(
      () => null,
      (e: unknown) => e,
    );
    const took = Date.now() - t;
    expect(isFbuildError(err), String(err)).toBe(true);
    if (!isFbuildError(err)) return;
    console.log(`[sockfile] foreign listener (silent): ${err.code} after ${took} ms: ${err.message}`);
    // no daemon owns the directory, so the silent listener is not ours: reported as an impostor, not as a stopped
    // daemon
    expect(err.code).toBe('IMPOSTOR');
    expect(took).toBeLessThan(1_500 + 5_000);
    expect(box.count('spawn', 'client')).toBe(0);
    expect(box.alive()).toEqual([]);
    await foreign.expectUntouched();
  });

  it('fenced after another process took both the owner record and the socket path: exits without unlinking their socket', async () => {
    const box = sandbox({ env: { FBUILD_OWNERSHIP: 'sockfile', FBUILD_DAEMON_SELFCHECK_MS: '100' } });
    const { identity } = await box.ensure();
    unlinkSync(endpointFor(box.stateDir, 'sockfile').path);
    const foreign = await foreignListener(box, 'silent');
    const ownerPath = join(box.stateDir, 'owner.json');
    const record = foreignOwnerRecord();
    unlinkSync(ownerPath);
    writeFileSync(ownerPath, record, { mode: 0o600 });
    await waitFor(
      () => box.events().find((e) => e.ev === 'fenced' && e.pid === identity.pid),
      5_000,
      'the daemon to fence itself',
    );
    await waitFor(() => procState(identity.pid) === null, 5_000, 'the fenced daemon to exit');
    await foreign.expectUntouched();
    expect(readFileSync(ownerPath, 'utf8')).toBe(record);
    unlinkSync(ownerPath);
  });
});

describe('the daemon leaves by itself', () => {
  it('FBUILD_DAEMON_IDLE_MS=300: exits when idle, releases, leaves no owner.json', async () => {
    const box = sandbox({ env: { FBUILD_DAEMON_IDLE_MS: '300' } });
    const { identity } = await box.ensure();
    await waitFor(() => procState(identity.pid) === null, 10_000, 'the idle daemon to exit');
    const evs = box.events().filter((e) => e.role === 'daemon' && e.pid === identity.pid);
    expect(evs.map((e) => e.ev)).toEqual(['start', 'claimed', 'ready', 'released', 'exit']);
    expect(evs.find((e) => e.ev === 'released')!.reason).toBe('idle');
    expect(existsSync(join(box.stateDir, 'owner.json'))).toBe(false);
    expect(box.alive()).toEqual([]);
  });

  it('idles out although its own self-check probes its endpoint more often than the idle limit', async () => {
    // probe every 5 × 60 ms = 300 ms, idle limit 1 s: each probe used to restart the idle clock, so it never left
    const box = sandbox({ env: { FBUILD_DAEMON_IDLE_MS: '1000', FBUILD_DAEMON_SELFCHECK_MS: '60' } });
    const { identity } = await box.ensure();
    await waitFor(
      () => procState(identity.pid) === null,
      15_000,
      'the idle daemon to exit despite its self-check probes',
    );
    const released = box.events().find((e) => e.role === 'daemon' && e.pid === identity.pid && e.ev === 'released');
    expect(released?.reason).toBe('idle');
  });

  it('FBUILD_DAEMON_SELFCHECK_MS=100: owner.json replaced under it → fenced, exits, the foreign record is left alone', async () => {
    const box = sandbox({ env: { FBUILD_DAEMON_SELFCHECK_MS: '100' } });
    const { identity } = await box.ensure();
    const ownerPath = join(box.stateDir, 'owner.json');
    const foreign = foreignOwnerRecord();
    unlinkSync(ownerPath);
    writeFileSync(ownerPath, foreign, { mode: 0o600 });
    const fenced = await waitFor(
      () => box.events().find((e) => e.ev === 'fenced'),
      5_000,
      'the daemon to fence itself',
    );
    expect(fenced.pid).toBe(identity.pid);
    await waitFor(() => procState(identity.pid) === null, 5_000, 'the fenced daemon to exit');
    expect(box.events().find((e) => e.ev === 'exit' && e.pid === identity.pid)?.reason).toBe('fenced');
    expect(readFileSync(ownerPath, 'utf8')).toBe(foreign);
    expect(box.alive()).toEqual([]);
    unlinkSync(ownerPath);
  });
});
