// A Windows daemon killed from outside is replaced by the next client. Runs on the Linux host (node:test),
// driving node.exe under Wine (ci/wine.sh sets FBUILD_WINE_STAGE, WINEPREFIX; ci/wine/lib.sh made the stage):
// a client starts the daemon on its named pipe; the daemon's wine process — found by its Linux pid, from the
// daemon signature in its command line — gets SIGKILL, as a crash, the OOM killer or a power cut would do it;
// nothing runs its exit code. The next client must start exactly one new daemon (new nonce) on the same pipe,
// and `daemon stop` must leave no daemon process behind.

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { listProcSync } from '../../dist/src/process/index.js';

const stage = process.env.FBUILD_WINE_STAGE;
const wine = process.env.FBUILD_WINE || '/usr/lib/wine/wine64';
const nodeExe = process.env.FBUILD_WINE_NODE;
if (!stage || !nodeExe)
  throw new Error('run through ci/wine.sh: FBUILD_WINE_STAGE and FBUILD_WINE_NODE name the Wine stage and node.exe');

const stateDir = mkdtempSync(join(tmpdir(), 'fbuild-wine-kill-'));
const winStateDir = `Z:${stateDir.replaceAll('/', '\\')}`;

/** `fbuild <args> --json` with node.exe under Wine; output through a file (node.exe cannot write to a pipe there). */
function fbuild(...args) {
  const outFile = join(stateDir, '..', `${stateDir.split('/').pop()}.out`);
  const fd = openSync(outFile, 'w');
  const child = spawn(wine, [nodeExe, 'dist/bin/fbuild.cjs', ...args, '--json'], {
    cwd: stage,
    stdio: ['ignore', fd, fd],
    env: { ...process.env, FBUILD_DAEMON_DIR: winStateDir },
  });
  closeSync(fd);
  return new Promise((resolve, reject) => {
    const guard = setTimeout(() => child.kill('SIGKILL'), 120_000); // hang guard only
    child.once('error', reject);
    child.once('exit', (code) => {
      clearTimeout(guard);
      const text = readFileSync(outFile, 'utf8');
      rmSync(outFile, { force: true });
      try {
        resolve({ code, json: JSON.parse(text) });
      } catch {
        reject(new Error(`fbuild ${args.join(' ')} exited ${code} without JSON: ${text}`));
      }
    });
  });
}

/** Linux pids of the wine processes running a daemon of our state directory (its argv carries the signature). */
function daemonWineProcesses() {
  // the kit's own process listing (compiled in dist/ by the tests part), run here on the Linux host; it leaves
  // out zombies (exited, not yet reaped)
  return listProcSync((argv) => argv.includes('--fbuild-daemon') && argv.includes(`--state-dir=${winStateDir}`)).map(
    (p) => p.pid,
  );
}

async function until(pred, what) {
  const deadline = Date.now() + 60_000; // hang guard only
  while (!pred()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

after(async () => {
  for (const pid of daemonWineProcesses()) process.kill(pid, 'SIGKILL');
  rmSync(stateDir, { recursive: true, force: true });
});

describe('win32 under Wine: a SIGKILLed daemon is recovered by the next client', () => {
  let first;
  let second;

  it('a client starts a daemon on the named pipe', async () => {
    const r = await fbuild('daemon', 'start');
    assert.equal(r.code, 0, JSON.stringify(r.json));
    first = r.json.daemon;
    assert.match(
      first.endpoint,
      /^\\\\\.\\pipe\\fbuild-[0-9a-f]{24}$/,
      'a Windows named pipe: node.exe ran the win32 code path',
    );
    assert.equal(first.startTime, null, 'no start time under Wine (no CIM): identity rests on pid + nonce + endpoint');
    await until(() => daemonWineProcesses().length === 1, 'its wine process is found');
  });

  it('SIGKILL to the Linux pid of its wine process; the next client starts exactly one new daemon', async () => {
    const [victim] = daemonWineProcesses();
    process.kill(victim, 'SIGKILL');
    await until(() => !daemonWineProcesses().includes(victim), `wine process ${victim} is gone`);
    const owner = JSON.parse(readFileSync(join(stateDir, 'owner.json'), 'utf8'));
    assert.equal(
      owner.nonce,
      first.nonce,
      'the killed daemon left its owner record behind (nothing ran its exit code)',
    );
    const r = await fbuild('daemon', 'start');
    assert.equal(r.code, 0, JSON.stringify(r.json));
    second = r.json.daemon;
    assert.equal(r.json.started, true, 'the next client started a daemon');
    assert.notEqual(second.nonce, first.nonce, 'a new daemon, not the dead one');
    assert.equal(second.endpoint, first.endpoint);
    await until(() => daemonWineProcesses().length >= 1, 'the new daemon is seen');
    assert.equal(daemonWineProcesses().length, 1, 'exactly one daemon process');
  });

  it('status reaches the new daemon; stop leaves no daemon process and no owner record', async () => {
    const s = await fbuild('daemon', 'status');
    assert.equal(s.code, 0, JSON.stringify(s.json));
    assert.equal(JSON.stringify(s.json).includes(second.nonce), true, 'status names the new daemon');
    const r = await fbuild('daemon', 'stop');
    assert.equal(r.code, 0, JSON.stringify(r.json));
    assert.equal(r.json.stopped, true);
    await until(() => daemonWineProcesses().length === 0, 'no daemon process is left');
    assert.equal(readdirSync(stateDir).includes('owner.json'), false, 'a clean stop releases the owner record');
  });
});
