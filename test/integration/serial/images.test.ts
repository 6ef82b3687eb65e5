// What the daemon does with a deploy image it cannot or must not read whole: a device (/dev/zero), a FIFO and an
// oversized (sparse) file are refused with a coded error before any read, the daemon's memory untouched; a
// client killed mid-deploy stops the reading and the sending. The daemon's RSS is watched while each request
// runs, so a daemon that reads such an image fails the test long before it hurts the machine.
import { execFileSync } from 'node:child_process';
import { closeSync, ftruncateSync, openSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fdHolders, rssMB } from '../../../src/process/index.js';
import { runFbuild } from '../../helpers/cli.js';
import { daemonSandboxes, waitFor } from '../../helpers/daemon.js';
import { type FbuildProc, serialProcesses, writeImage } from '../../helpers/serial.js';

const sandbox = daemonSandboxes('fbuild-serial-img-');
const serial = serialProcesses();

/** far below what reading any of these images whole would take, far above the daemon's own churn */
const RSS_GROWTH_BOUND_MB = 128;

/** `run`'s exit code, failing as soon as the daemon's RSS grows past the bound (or the hang guard passes) */
async function exitWatchingRss(run: FbuildProc, daemon: number, guardMs: number): Promise<number | null> {
  const base = rssMB(daemon)!;
  let exited: number | null | undefined;
  void run.done.then((code) => (exited = code));
  const until = Date.now() + guardMs;
  while (exited === undefined) {
    const rss = rssMB(daemon);
    expect(rss, 'the daemon died').not.toBeNull();
    expect(rss! - base, `daemon RSS ${rss!.toFixed(0)} MB, ${base.toFixed(0)} MB before`).toBeLessThan(
      RSS_GROWTH_BOUND_MB,
    );
    expect(Date.now() < until, `no answer within ${guardMs} ms: ${run.stderr()}`).toBe(true);
    await new Promise((r) => setTimeout(r, 20));
  }
  return exited;
}

describe('serial deploy: images the daemon must not read whole', () => {
  it('/dev/zero, a FIFO and an oversized sparse file get a coded error at once, in both modes, with the daemon’s memory untouched', async () => {
    const box = sandbox();
    const dir = join(box.stateDir, '..');
    const dev = await serial.device(join(dir, 'tty'));
    expect(runFbuild(box.stateDir, ['daemon', 'start']).code).toBe(0);
    const daemon = box.ownerRecord()!.pid as number;
    const fifo = join(dir, 'fw.fifo');
    execFileSync('mkfifo', [fifo]);
    const sparse = join(dir, 'huge.bin');
    const fd = openSync(sparse, 'w');
    ftruncateSync(fd, 1024 * 1024 * 1024); // 1 GiB of nothing on disk, 16 times the limit
    closeSync(fd);
    const cases: [string, string][] = [
      ['/dev/zero', 'FILE_NOT_REGULAR'],
      [fifo, 'FILE_NOT_REGULAR'],
      [sparse, 'FILE_TOO_LARGE'],
    ];
    for (const uploader of [[], ['--uploader', 'cat {image} > {port}']]) {
      for (const [image, code] of cases) {
        // a hang guard for work that is one open and one fstat: it must not wait for the image at all
        const run = serial.fbuild(box.stateDir, ['deploy', image, '--port', dev.link, ...uploader]);
        expect(await exitWatchingRss(run, daemon, 30_000), run.stderr()).toBe(2);
        expect(run.stderr()).toContain(`[${code}]`);
      }
    }
    expect(runFbuild(box.stateDir, ['daemon', 'status']).code).toBe(0); // nothing stuck: it still answers
    expect(runFbuild(box.stateDir, ['ports', '--json']).json.held).toEqual([]);
  });

  it('a client killed mid-deploy: the daemon stops reading the image and sending it, and lets the port go', async () => {
    const box = sandbox();
    const dir = join(box.stateDir, '..');
    const dev = await serial.device(join(dir, 'tty'));
    const img = writeImage(dir, 4 * 1024 * 1024);
    const run = serial.fbuild(box.stateDir, ['deploy', img, '--port', dev.link]);
    await run.waitOutput(/\d+\/\d+ bytes \([1-9]\d* %\)/, 120_000); // a few per cent sent
    const daemon = box.ownerRecord()!.pid as number;
    expect(fdHolders(img)?.map((h) => h.pid)).toEqual([daemon]); // read as it is sent: still open
    run.child.kill('SIGKILL');
    await waitFor(() => !fdHolders(img)?.some((h) => h.pid === daemon), 30_000, 'the daemon to close the image');
    await waitFor(() => runFbuild(box.stateDir, ['ports', '--json']).json.held.length === 0, 30_000, 'the port to go');
    expect(fdHolders(dev.link)?.filter((h) => h.name !== 'socat')).toEqual([]); // nothing can be sent any more
    expect(dev.reports.some((l) => l.startsWith('done '))).toBe(false);
  });
});
