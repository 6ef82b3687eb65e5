#!/usr/bin/env node
// What a client waiting for a spawn under way costs beyond the same call warm, without contention:
// `node scripts/wait-floor.mjs [REPEATS]` (default 20; needs a built dist/). Each repeat takes the spawn lock of a
// fresh state directory, releases one bench client (harness/programs/cold-client.ts) that finds the lock held and
// waits, starts the daemon the product's way 150 ms later and lets the lock go once status.json is there; then runs
// the same client program once more against that daemon (warm). Prints the CPU of each client's ensureDaemon()
// call (from the release until served), cold, warm and the difference, and their medians (docs/bench.md,
// "2026-12-08 small hours").
import { fork } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const repeats = Number(process.argv[2] ?? 20);
if (!Number.isInteger(repeats) || repeats < 1) {
  process.stderr.write('usage: node scripts/wait-floor.mjs [REPEATS]\n');
  process.exit(2);
}
const { monoNs, sleep } = await import(`${root}/dist/src/clock.js`);
const { ownerRecordLock } = await import(`${root}/dist/src/lock/index.js`);
const { stopDaemon } = await import(`${root}/dist/src/index.js`);
const { resolveConfig } = await import(`${root}/dist/src/daemon/shared/config.js`);
const { ensureStateDir } = await import(`${root}/dist/src/daemon/shared/state-dir.js`);
const { SPAWN_LOCK_OPTIONS } = await import(`${root}/dist/src/daemon/shared/owner-lock-options.js`);
const { spawnDaemon } = await import(`${root}/dist/src/daemon/client/spawn.js`);
const { median } = await import(`${root}/dist/harness/engine/stats.js`);

/** One bench client released now; `meanwhile` runs while it is served. Its CPU from the release until served. */
async function client(stateDir, meanwhile) {
  const child = fork(join(root, 'dist/harness/programs/cold-client.js'), [stateDir, '15000'], { stdio: 'inherit' });
  await new Promise((ready) => child.once('message', ready));
  const result = new Promise((served) => child.once('message', served));
  child.send({ release: monoNs().toString() });
  await meanwhile?.();
  const out = await result;
  if (child.exitCode === null) await new Promise((exited) => child.once('exit', exited));
  if (!out.ok) throw new Error(`a client failed: ${out.error}`);
  return out.cpuMs - out.cpuAtWakeMs;
}

const rows = [];
for (let i = 0; i < repeats; i++) {
  const dir = mkdtempSync(join(tmpdir(), 'fbuild-wait-floor-'));
  const env = { ...process.env, FBUILD_DAEMON_DIR: join(dir, 'state') };
  const config = resolveConfig(env);
  try {
    ensureStateDir(config.stateDir);
    const got = ownerRecordLock.tryAcquire(config.files.spawnLock, SPAWN_LOCK_OPTIONS);
    if (!got.ok) throw new Error(`could not take ${config.files.spawnLock}`);
    const cold = await client(config.stateDir, async () => {
      // a spawner that takes its time: the lock stays held until status.json is there, so the client, which looks
      // right after the barrier lets it go, finds it held and is woken when it is let go (not by the fast path)
      await sleep(150);
      spawnDaemon(config, env).unref();
      const giveUp = Date.now() + 15_000;
      while (!existsSync(config.files.status)) {
        if (Date.now() > giveUp) throw new Error(`the daemon wrote no ${config.files.status} within 15 s`);
        await sleep(5);
      }
      got.lock.release();
    });
    const warm = await client(config.stateDir);
    rows.push({ cold, warm });
    process.stdout.write(
      `cold ${cold.toFixed(2)} ms, warm ${warm.toFixed(2)} ms, added ${(cold - warm).toFixed(2)} ms\n`,
    );
  } finally {
    await stopDaemon({ stateDir: config.stateDir, env }).catch(() => {});
    rmSync(dir, { recursive: true, force: true });
  }
}
const fmt = (pick) => median(rows.map(pick)).toFixed(2);
process.stdout.write(
  `medians of ${rows.length}: cold ${fmt((r) => r.cold)} ms, warm ${fmt((r) => r.warm)} ms, added ${fmt((r) => r.cold - r.warm)} ms\n`,
);
