// I1 across namespaces: processes that share the state directory's filesystem but not a PID or network
// namespace (containers, Flatpak/bubblewrap sandboxes, dev containers sharing $HOME). Their pids mean nothing
// to each other, so an owner in another namespace is never judged by its pid: clients reach it through the
// socket file on the shared filesystem, and only a refused connect proves it gone. Real namespaces, made with
// `unshare` (root); where they cannot be made the tests say so and skip.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isFbuildError } from '../../../src/errors.js';
import { here, readStartTime } from '../../../src/process/index.js';
import { runFbuild } from '../../helpers/cli.js';
import { claimOverlaps, daemonSandboxes, type Sandbox, waitFor } from '../../helpers/daemon.js';

const sandbox = daemonSandboxes('fbuild-ns-');
const CLIENT = join(import.meta.dirname, '../../fixtures/daemon/client.mjs');

const canUnshare = (): string | null => {
  if (process.getuid?.() !== 0) return 'needs root to create PID and network namespaces (CI runs as root)';
  const r = spawnSync('unshare', ['--pid', '--net', '--fork', '--mount-proc', '--', 'true'], { encoding: 'utf8' });
  return r.status === 0 ? null : `unshare --pid --net is not permitted here: ${r.error?.message ?? r.stderr.trim()}`;
};

/**
 * `n` clients inside one new PID + network + mount namespace, each ensureDaemon() once; the namespace lives
 * on (its init sleeps) so a daemon started in it keeps running, until `kill()` ends the whole namespace.
 */
function clientsInNamespace(
  box: Sandbox,
  n: number,
): { proc: ChildProcess; outcomes: Promise<any[]>; kill(): Promise<void> } {
  const run = Array.from({ length: n }, () => `"$0" "$1" ensure "$2" 15000 &`).join(' ');
  const proc = spawn(
    'unshare',
    [
      '--pid',
      '--net',
      '--fork',
      '--mount-proc',
      '--kill-child',
      '--',
      'sh',
      '-c',
      `${run} wait; echo done; exec sleep 300`,
      process.execPath,
      CLIENT,
      box.stateDir,
    ],
    {
      env: box.env,
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  box.onTeardown(() => proc.kill('SIGKILL'));
  const outcomes = new Promise<any[]>((resolve, reject) => {
    let out = '';
    proc.stdout!.on('data', (d: Buffer) => {
      out += d.toString('utf8');
      if (out.includes('done\n'))
        resolve(
          out
            .split('\n')
            .filter((l) => l.startsWith('{'))
            .map((l) => JSON.parse(l)),
        );
    });
    proc.once('exit', (code) => reject(new Error(`the namespace exited early (code ${code}): ${out}`)));
  });
  return {
    proc,
    outcomes,
    kill: () =>
      new Promise((r) => {
        proc.once('exit', () => r());
        proc.kill('SIGKILL'); // --kill-child: the namespace's init dies, and the kernel kills everything in it
      }),
  };
}

describe('clients and daemons in different PID and network namespaces share one state directory', () => {
  it('a daemon started inside another namespace serves clients outside it; none of them starts a second one', async (t) => {
    const why = canUnshare();
    if (why) return t.skip(why);
    const box = sandbox();
    const inner = clientsInNamespace(box, 1);
    const [first] = await inner.outcomes;
    expect(first.ok, JSON.stringify(first)).toBe(true);
    const record = JSON.parse(readFileSync(join(box.stateDir, 'owner.json'), 'utf8'));
    expect(record.pidNs, 'the owner record names its PID namespace').not.toBe(here().pidNs);
    const batch = await box.startClients(6, 'ensure');
    for (const o of batch.outcomes) expect(o, JSON.stringify(o)).toMatchObject({ ok: true, spawned: false });
    expect(new Set(batch.outcomes.map((o) => o.identity!.nonce))).toEqual(new Set([first.identity.nonce]));
    expect(box.alive(), 'one daemon process in all (seen from outside)').toHaveLength(1);
    expect(claimOverlaps(box.events())).toEqual([]);
  });

  it('cold start: clients inside and outside another namespace at the same moment get one daemon (I1, I2)', async (t) => {
    const why = canUnshare();
    if (why) return t.skip(why);
    const box = sandbox();
    const inner = clientsInNamespace(box, 4);
    const outer = box.startClients(4, 'ensure');
    const all = [...(await inner.outcomes), ...(await outer).outcomes];
    for (const o of all) expect(o.ok, JSON.stringify(o)).toBe(true);
    expect(new Set(all.map((o) => o.identity.nonce)).size, 'every client was served by the same daemon').toBe(1);
    await waitFor(() => box.alive().length === 1, 5_000, 'exactly one daemon to remain');
    expect(claimOverlaps(box.events()), 'ownership never overlapped').toEqual([]);
    expect(box.events().filter((e) => e.ev === 'claimed')).toHaveLength(1);
  });

  it('an owner in another namespace that died is proved gone by its refused socket, then replaced once', async (t) => {
    const why = canUnshare();
    if (why) return t.skip(why);
    const box = sandbox();
    const inner = clientsInNamespace(box, 1);
    const [first] = await inner.outcomes;
    expect(first.ok).toBe(true);
    await inner.kill(); // SIGKILL to the whole namespace: owner.json and d.sock are left behind
    await waitFor(() => box.alive().length === 0, 5_000, 'the namespace to be gone');
    const ownerPath = join(box.stateDir, 'owner.json');
    // what a record from a minute ago looks like (the endpoint grace period is over)
    const old = {
      ...JSON.parse(readFileSync(ownerPath, 'utf8')),
      createdAt: new Date(Date.now() - 60_000).toISOString(),
    };
    writeFileSync(ownerPath, `${JSON.stringify(old)}\n`);
    const before = box.events().length;
    const r = await box.ensure(10_000);
    expect(r.spawned).toBe(true);
    expect(r.identity.nonce).not.toBe(first.identity.nonce);
    expect(
      box
        .events()
        .slice(before)
        .filter((e) => e.ev === 'spawn'),
    ).toHaveLength(1);
  });
});

describe('owner records that cannot be taken at their word', () => {
  function writeRecord(box: Sandbox, fields: Record<string, unknown>): void {
    mkdirSync(box.stateDir, { recursive: true, mode: 0o700 });
    const base = {
      v: 1,
      pid: 2 ** 22 + 7,
      startTime: '1',
      nonce: 'f'.repeat(24),
      createdAt: new Date(Date.now() - 60_000).toISOString(),
      version: '0.1.0',
      extra: {},
    };
    writeFileSync(join(box.stateDir, 'owner.json'), `${JSON.stringify({ ...base, ...fields })}\n`, { mode: 0o600 });
  }

  it('a crashed daemon of this machine under an old host name (same boot id) is judged by pid: one spawn, taken over', async () => {
    const box = sandbox();
    writeRecord(box, { hostname: 'renamed-host.example', bootId: here().bootId, pidNs: here().pidNs });
    const r = await box.ensure(8_000);
    expect(r.spawned).toBe(true);
    expect(box.count('spawn', 'client')).toBe(1);
  });

  it('a record from another host (no boot id to compare) is never replaced: OWNER_UNVERIFIABLE at once, nothing spawned; stop says what is there', async () => {
    const box = sandbox();
    writeRecord(box, { hostname: 'another-host.example' });
    const err = await box.ensure(8_000).catch((e: unknown) => e);
    expect(isFbuildError(err, 'OWNER_UNVERIFIABLE'), String(err)).toBe(true);
    expect((err as Error).message).toMatch(/another-host\.example/);
    expect(box.count('spawn', 'client')).toBe(0);
    const stop = await box.stop({ force: true, deadlineMs: 3_000 }).catch((e: unknown) => e);
    expect(isFbuildError(stop, 'OWNER_UNVERIFIABLE'), String(stop)).toBe(true);
  });

  it('a forged record naming a live process that is not a daemon (with its real start time) wedges nothing and that process is never signalled', async () => {
    const box = sandbox();
    const bystander = spawn('sleep', ['60'], { stdio: 'ignore' });
    box.onTeardown(() => bystander.kill('SIGKILL'));
    const st = readStartTime(bystander.pid!);
    if (st.kind !== 'ok') throw new Error('no start time');
    // a record as our daemon writes it (it says its process carries the daemon signature)
    writeRecord(box, {
      pid: bystander.pid,
      startTime: st.startTime,
      hostname: here().hostname,
      bootId: here().bootId,
      pidNs: here().pidNs,
      extra: { argvSignature: true },
    });
    const stop = runFbuild(box.stateDir, ['daemon', 'stop', '--force', '--json', '--deadline', '5000']);
    expect(stop.code, stop.stderr).toBe(0);
    expect(stop.json).toMatchObject({
      stopped: false,
      staleOwner: expect.stringMatching(/is alive but is not the owner/),
    });
    const r = await box.ensure(8_000);
    expect(r.spawned).toBe(true);
    expect(bystander.exitCode, 'the bystander was never signalled').toBeNull();
    expect(bystander.signalCode).toBeNull();
  });

  it('an empty owner.json (a record being written, or a crash mid-write) costs no spawn storm: one spawn once it is stale', async () => {
    const box = sandbox();
    mkdirSync(box.stateDir, { recursive: true, mode: 0o700 });
    writeFileSync(join(box.stateDir, 'owner.json'), '', { mode: 0o600 });
    const r = await box.ensure(10_000);
    expect(r.spawned).toBe(true);
    expect(box.count('spawn', 'client')).toBe(1);
  });
});
