// The safe openers (fsutil/open-regular.ts, open-append.ts) against real FIFOs, devices, symlinks, directories
// and hard links. An open that waits on a FIFO is caught by a hang guard: the async one by a race against a
// timer (its threadpool thread is released afterwards by a writer), the sync one in a child process with a
// timeout, since a blocked main thread cannot time itself out.
import { spawnSync } from 'node:child_process';
import { closeSync, constants, linkSync, mkdirSync, openSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openForAppend } from '../../../src/fsutil/open-append.js';
import { openRegularFile, openRegularFileSync, readRegularFileSync } from '../../../src/fsutil/open-regular.js';
import { openStateFile } from '../../../src/fsutil/open-state-file.js';
import { transpileForChild } from '../../helpers/child-modules.js';
import { tempDirs } from '../../helpers/tmp.js';

const tmp = tempDirs('fbuild-open-regular-');
const fifos: string[] = [];
afterEach(() => {
  // a writer for a moment lets any open still waiting on one of them return
  for (const f of fifos.splice(0)) {
    try {
      closeSync(openSync(f, constants.O_RDWR | constants.O_NONBLOCK));
    } catch {
      /* gone */
    }
  }
});

function fifo(dir: string, name = 'pipe'): string {
  const path = join(dir, name);
  expect(spawnSync('mkfifo', [path]).status).toBe(0);
  fifos.push(path);
  return path;
}

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (err) {
    return (err as { code?: string }).code;
  }
  return 'no error';
}

async function asyncCode(p: Promise<unknown>, guardMs = 10_000): Promise<string | undefined> {
  const guard = new Promise<string>((resolve) => setTimeout(() => resolve('HUNG'), guardMs).unref());
  return Promise.race([
    p.then(
      () => 'no error',
      (err: { code?: string }) => err.code,
    ),
    guard,
  ]);
}

describe('openRegularFile / openRegularFileSync', () => {
  it('opens a regular file and reports its size; a missing one is ENOENT', async () => {
    const dir = tmp();
    const file = join(dir, 'pkg.tar.gz');
    writeFileSync(file, 'twelve bytes');
    const sync = openRegularFileSync(file);
    closeSync(sync.fd);
    expect(sync.stat.size).toBe(12);
    const opened = await openRegularFile(file, { maxBytes: 12 });
    expect((await opened.handle.readFile()).toString()).toBe('twelve bytes');
    await opened.handle.close();
    expect(readRegularFileSync(file, { maxBytes: 100 }).toString()).toBe('twelve bytes');
    expect(codeOf(() => openRegularFileSync(join(dir, 'nope')))).toBe('ENOENT');
    expect(await asyncCode(openRegularFile(join(dir, 'nope')))).toBe('ENOENT');
  });

  it('a FIFO is refused at once, never waited on (async: no threadpool thread held)', async () => {
    const dir = tmp();
    const pipe = fifo(dir);
    expect(await asyncCode(openRegularFile(pipe))).toBe('FILE_NOT_REGULAR');
    expect(await asyncCode(openRegularFile(pipe, { noFollow: true }))).toBe('STATE_FILE_NOT_REGULAR');
    symlinkSync(pipe, join(dir, 'link'));
    expect(await asyncCode(openRegularFile(join(dir, 'link')))).toBe('FILE_NOT_REGULAR');
  });

  it('a FIFO is refused at once by the sync opener too (run in a child: a blocked main thread cannot time out)', () => {
    const dir = tmp();
    const pipe = fifo(dir);
    const url = transpileForChild('src/fsutil/open-regular.ts', tmp());
    const script = `const m = await import(${JSON.stringify(url)});
      try { m.readRegularFileSync(${JSON.stringify(pipe)}, { maxBytes: 64 }); console.log('no error'); }
      catch (err) { console.log(err.code); }`;
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', timeout: 30_000 });
    expect(r.status, `hung or crashed: ${r.stderr}`).toBe(0);
    expect(r.stdout.trim()).toBe('FILE_NOT_REGULAR');
  });

  it('/dev/zero (directly or through a link) and a directory are refused; a link is refused unfollowed with noFollow', async () => {
    const dir = tmp();
    const link = join(dir, 'zero');
    symlinkSync('/dev/zero', link);
    mkdirSync(join(dir, 'sub'));
    expect(codeOf(() => readRegularFileSync('/dev/zero', { maxBytes: 64 }))).toBe('FILE_NOT_REGULAR');
    expect(codeOf(() => readRegularFileSync(link, { maxBytes: 64 }))).toBe('FILE_NOT_REGULAR');
    expect(codeOf(() => readRegularFileSync(link, { maxBytes: 64, noFollow: true }))).toBe('STATE_FILE_SYMLINK');
    expect(await asyncCode(openRegularFile(link))).toBe('FILE_NOT_REGULAR');
    expect(await asyncCode(openRegularFile(link, { noFollow: true }))).toBe('STATE_FILE_SYMLINK');
    expect(await asyncCode(openRegularFile(join(dir, 'sub')))).toBe('FILE_NOT_REGULAR');
  });

  it('a file over the cap is FILE_TOO_LARGE before it is read', async () => {
    const dir = tmp();
    const file = join(dir, 'big');
    writeFileSync(file, Buffer.alloc(4097));
    expect(codeOf(() => readRegularFileSync(file, { maxBytes: 4096 }))).toBe('FILE_TOO_LARGE');
    expect(await asyncCode(openRegularFile(file, { maxBytes: 4096 }))).toBe('FILE_TOO_LARGE');
  });
});

describe('appending never writes through a hard link (N12)', () => {
  it('openStateFile(append) and openForAppend refuse nlink > 1 (STATE_FILE_LINKED); the other file is untouched', () => {
    const dir = tmp();
    const victim = join(dir, 'victim');
    writeFileSync(victim, 'precious\n');
    const log = join(dir, 'daemon.log');
    linkSync(victim, log);
    expect(codeOf(() => openStateFile(log, 'append'))).toBe('STATE_FILE_LINKED');
    expect(codeOf(() => openForAppend(log))).toBe('STATE_FILE_LINKED');
    expect(readFileSync(victim, 'utf8')).toBe('precious\n');
    const fresh = openStateFile(join(dir, 'fresh.log'), 'append');
    expect(fresh.kind).toBe('ok');
    if (fresh.kind === 'ok') closeSync(fresh.fd);
  });

  it('a FIFO or a symlink at a file we append to is refused, not waited on or followed', () => {
    const dir = tmp();
    const pipe = fifo(dir, 'events.ndjson');
    expect(codeOf(() => openForAppend(pipe))).toBe('STATE_FILE_NOT_REGULAR');
    const target = join(dir, 'target');
    writeFileSync(target, '');
    symlinkSync(target, join(dir, 'linked.log'));
    expect(codeOf(() => openForAppend(join(dir, 'linked.log')))).toBe('STATE_FILE_SYMLINK');
    expect(readFileSync(target, 'utf8')).toBe('');
  });
});
