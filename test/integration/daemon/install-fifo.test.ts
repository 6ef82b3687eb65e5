// N6: an install source that is a FIFO must be refused before any open that can wait. Opened the plain way,
// each one held a libuv threadpool thread until a writer came — after four of them (the pool's size) every
// file operation of the daemon queued behind them: an ordinary install got DEADLINE and `daemon stop` exit 7.
// Real daemon, real CLI, real FIFOs.
import { spawnSync } from 'node:child_process';
import { closeSync, constants, openSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runFbuild, runFbuildAsync } from '../../helpers/cli.js';
import { daemonSandboxes } from '../../helpers/daemon.js';
import { tempDirs } from '../../helpers/tmp.js';

const sandbox = daemonSandboxes('fbuild-install-fifo-');
const tmp = tempDirs('fbuild-install-fifo-src-');

// `fbuild install` gives up at its own deadline (requestDaemon's 15 s); four times that is a hang.
const INSTALL_GUARD_MS = 4 * 15_000;
/** more FIFOs than the threadpool has threads (UV_THREADPOOL_SIZE, 4 by default) */
const FIFOS = 6;

/** A writer for a moment: lets an open that waits on the FIFO (the old code's) return, so teardown can stop it. */
function unblock(fifo: string): void {
  try {
    closeSync(openSync(fifo, constants.O_RDWR | constants.O_NONBLOCK));
  } catch {
    /* gone */
  }
}

describe('install sources that are not regular files (N6)', () => {
  it(`${FIFOS} FIFOs (one behind a symlink) and /dev/zero are FILE_NOT_REGULAR at once; the daemon keeps serving`, async () => {
    const box = sandbox();
    expect(runFbuild(box.stateDir, ['daemon', 'start'], 60_000).code).toBe(0);
    const dir = tmp();
    const fifos = Array.from({ length: FIFOS }, (_, i) => join(dir, `pkg-${i}.tar.gz`));
    for (const f of fifos) expect(spawnSync('mkfifo', [f]).status).toBe(0);
    box.onTeardown(() => fifos.forEach(unblock));
    const linked = join(dir, 'linked.tar.gz');
    symlinkSync(fifos[0]!, linked);
    const sources = [...fifos, linked, '/dev/zero'];

    const runs = await Promise.all(sources.map((s) => runFbuildAsync(box.stateDir, ['install', s], INSTALL_GUARD_MS)));
    for (const [i, r] of runs.entries()) {
      expect(r.code, `install ${sources[i]}: ${r.stderr}`).toBe(2); // a file the user named: usage
      expect(r.stderr).toContain('[FILE_NOT_REGULAR]');
    }

    const pkg = join(dir, 'ok.tar.gz');
    writeFileSync(pkg, 'an ordinary archive');
    const ok = runFbuild(box.stateDir, ['install', '--json', pkg], INSTALL_GUARD_MS);
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.json.install.bytes).toBe('an ordinary archive'.length);
    const stop = runFbuild(box.stateDir, ['daemon', 'stop'], INSTALL_GUARD_MS);
    expect(stop.code, stop.stderr).toBe(0);
  });
});
