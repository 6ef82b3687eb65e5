#!/usr/bin/env node
// What a waiting client's first look costs: `node scripts/first-look.mjs [BUILD] [RUNS]`. BUILD is a checkout with a
// built dist/ (default: this one). Each run takes the spawn lock of a fresh state directory in this process (a live
// holder, no daemon), forks a client that loads the library, calls ensureDaemon() and reads its own CPU (user +
// system) 50 ms later — by then its first look is done and it sleeps (its first back-off is at least 50 ms) — and
// again, the same way, for a second directory in the same process (the same look with its code run once
// already). Prints the median of RUNS (default 8) fresh processes for each. Then the floor, the same way: a
// hand-written minimal first look in plain Node (a refused connect, the lock's record read, its holder checked
// with kill(pid, 0) and /proc/<pid>/stat, a watch of the directory set up), and the same without the connect,
// which a client of a running daemon makes too. Since the client stats a socket file before connecting to it
// (src/daemon/client/probe.ts), its first look makes no connect where no socket file is: the floor to compare
// a build from then on with is the one without the connect.
import { fork } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const root = resolve(process.argv[2] ?? '.');
const runs = Number(process.argv[3] ?? 8);
const lib = (rel) => import(pathToFileURL(join(root, 'dist', 'src', rel)).href);
const { ownerRecordLock, resolveConfig } = await lib('index.js');
const { SPAWN_LOCK_OPTIONS } = await lib('daemon/shared/owner-lock-options.js');

const tmp = mkdtempSync(join(tmpdir(), 'fbuild-first-look-'));
const client = join(tmp, 'client.mjs');
writeFileSync(
  client,
  `const { ensureDaemon } = await import(${JSON.stringify(pathToFileURL(join(root, 'dist', 'src', 'index.js')).href)});
const cpu = () => { const c = process.cpuUsage(); return (c.user + c.system) / 1000; };
async function look(stateDir) {
  const c0 = cpu();
  let first;
  const t = setTimeout(() => { first = cpu() - c0; }, 50);
  await ensureDaemon({ stateDir, deadlineMs: 300 }).catch(() => {});
  clearTimeout(t);
  return first;
}
await new Promise((r) => setTimeout(r, 100)); // the library loaded and settled, as a bench client waits for its release
const cold = await look(process.argv[2]);
const again = await look(process.argv[3]);
process.send({ cold, again }, () => process.disconnect());
`,
);

/** A fresh state directory whose spawn lock this process holds. */
function heldDir(i, k) {
  const dir = join(tmp, `${i}-${k}`, 'state');
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const lockPath = resolveConfig({ FBUILD_DAEMON_DIR: dir }).files.spawnLock;
  const got = ownerRecordLock.tryAcquire(lockPath, SPAWN_LOCK_OPTIONS);
  if (!got.ok) throw new Error(`could not take the spawn lock of ${dir}`);
  return { dir, lockPath, lock: got.lock };
}

// the floor: the least any Node client can do on a first look (Linux: /proc)
const floorClient = join(tmp, 'floor.mjs');
writeFileSync(
  floorClient,
  `import { connect } from 'node:net';
import { readFileSync, watch } from 'node:fs';
const cpu = () => { const c = process.cpuUsage(); return (c.user + c.system) / 1000; };
function look(stateDir, lockPath, withConnect) {
  return new Promise((done) => {
    const c0 = cpu();
    const judgeAndWatch = () => {
      const rec = JSON.parse(readFileSync(lockPath, 'utf8'));
      process.kill(rec.pid, 0);
      readFileSync('/proc/' + rec.pid + '/stat', 'utf8');
      const w = watch(stateDir, { persistent: false }, () => {});
      setTimeout(() => { w.close(); done(cpu() - c0); }, 50);
    };
    if (withConnect) connect(stateDir + '/nobody.sock').once('error', judgeAndWatch);
    else judgeAndWatch();
  });
}
await new Promise((r) => setTimeout(r, 100));
const withConnect = process.argv[4] === 'connect';
process.send({ cold: await look(process.argv[2], process.argv[3], withConnect) }, () => process.disconnect());
`,
);

async function report(script, args) {
  const child = fork(script, args, { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const got = await new Promise((ok, fail) => {
    child.once('message', ok);
    child.once('exit', (code) => fail(new Error(`the client exited with code ${code} before it reported`)));
  });
  await new Promise((ok) => (child.exitCode === null ? child.once('exit', ok) : ok()));
  return got;
}

const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
const out = { cold: [], again: [], floorConnect: [], floor: [] };
try {
  for (let i = 0; i < runs; i++) {
    const held = [heldDir(i, 0), heldDir(i, 1)];
    const got = await report(
      client,
      held.map((one) => one.dir),
    );
    out.cold.push(got.cold);
    out.again.push(got.again);
    if (process.platform === 'linux') {
      const { dir, lockPath } = held[0];
      out.floorConnect.push((await report(floorClient, [dir, lockPath, 'connect'])).cold);
      out.floor.push((await report(floorClient, [dir, lockPath, 'no-connect'])).cold);
    }
    for (const one of held) one.lock.release();
  }
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
const fmt = (xs) => `median ${median(xs).toFixed(2)} ms (${xs.map((x) => x.toFixed(1)).join(' ')})`;
process.stdout.write(
  `${root}: a waiting client's first look, CPU, ${runs} fresh processes\n  first time  ${fmt(out.cold)}\n  second time ${fmt(out.again)}\n`,
);
if (out.floor.length > 0)
  process.stdout.write(
    `the floor, hand-written in plain Node, first time\n  with the refused connect    ${fmt(out.floorConnect)}\n  without it                  ${fmt(out.floor)}\n`,
  );
