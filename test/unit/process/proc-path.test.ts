// The /proc readers behind "is this the daemon program, and is that its directory?": /proc/PID/exe (readExe)
// and a path as another process sees it (seenBy: its root, its working directory, its symlinks). Real
// processes, real symlinks, and a real mount namespace where the kernel lets us make one.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, realpathSync, statSync, symlinkSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { childTarget, readExe, seenBy, terminateAll } from '../../../src/process/index.js';
import { waitFor } from '../../helpers/daemon.js';
import { tempDirs } from '../../helpers/tmp.js';

const tmp = tempDirs('fbuild-proc-path-');
const started: ChildProcess[] = [];
afterEach(async () => {
  await terminateAll(started.splice(0).map(childTarget), { signal: 'SIGKILL', graceMs: 5_000 });
});

function start(cmd: string, args: string[], cwd?: string): ChildProcess {
  const child = spawn(cmd, args, { stdio: 'ignore', cwd });
  started.push(child);
  return child;
}

const idOf = (path: string) => {
  const st = statSync(path, { bigint: true });
  return { dev: st.dev, ino: st.ino };
};

describe('readExe', () => {
  it('is the executable file, whatever argv[0] says, even once it is deleted', async () => {
    expect(readExe(process.pid)).toBe(realpathSync(process.execPath));
    const dir = tmp();
    const copy = join(dir, 'not-sleep');
    copyFileSync(realpathSync('/bin/sleep'), copy);
    const child = start('bash', ['-c', `exec -a pretend "${copy}" 60`]);
    const argv0 = () => readFileSync(`/proc/${child.pid}/cmdline`, 'latin1').split('\0')[0];
    // /proc/PID/exe names the new file from the middle of execve on, its argv only once execve has set up the new
    // stack: in between, cmdline reads empty (seen in a CI run on a busy machine). Wait for both.
    await waitFor(() => readExe(child.pid!) === copy && argv0() !== '', 10_000, 'the copy to run');
    expect(argv0()).toBe('pretend');
    unlinkSync(copy);
    expect(readExe(child.pid!)).toBe(copy);
    expect(readExe(2 ** 22 + 1)).toBeNull(); // above any pid_max: no such process
  });
});

describe('seenBy', () => {
  it('resolves symlinks (relative, absolute, chained, then ..) as realpath(3) does, with device and inode', () => {
    const dir = realpathSync(tmp());
    mkdirSync(join(dir, 'real', 'deep'), { recursive: true });
    symlinkSync('real/deep', join(dir, 'rel'));
    symlinkSync(join(dir, 'rel'), join(dir, 'abs'));
    for (const p of ['real', 'rel', 'abs', 'abs/..', 'abs/../deep/./', 'rel/../../abs']) {
      // not join() nor realpathSync(): both take `..` lexically, before the symlink is followed (the kernel does not)
      const path = `${dir}/${p}`;
      expect(seenBy(process.pid, path), p).toMatchObject({
        path: realpathSync.native(path),
        ...idOf(path),
        isDirectory: true,
      });
    }
    symlinkSync('loop-b', join(dir, 'loop-a'));
    symlinkSync('loop-a', join(dir, 'loop-b'));
    expect(seenBy(process.pid, join(dir, 'loop-a'))).toBeNull();
    expect(seenBy(process.pid, join(dir, 'missing'))).toBeNull();
    expect(seenBy(2 ** 22 + 1, dir)).toBeNull();
  });

  it("a relative path is resolved in that process's working directory, not ours", async () => {
    const dir = realpathSync(tmp());
    mkdirSync(join(dir, 'sub'));
    const child = start('sleep', ['60'], dir);
    await waitFor(() => readExe(child.pid!)?.endsWith('sleep'), 10_000, 'sleep to run');
    expect(seenBy(child.pid!, 'sub')).toMatchObject({ path: join(dir, 'sub'), ...idOf(join(dir, 'sub')) });
    expect(seenBy(child.pid!, '../nope-not-there')).toBeNull();
  });

  it('another mount namespace: the directory at the same path is another one, and its absolute symlinks are followed in its root', async (t) => {
    const probe = spawnSync('unshare', ['--mount', 'true']);
    if (process.getuid?.() !== 0 || probe.status !== 0) {
      console.log(`skipped: unshare --mount is not permitted here (${probe.stderr?.toString().trim() || 'not root'})`);
      t.skip();
    }
    const dir = realpathSync(tmp());
    mkdirSync(join(dir, 'target'));
    const inner = start('unshare', [
      '--mount',
      'sh',
      '-c',
      `mount -t tmpfs none "${dir}" && mkdir "${dir}/target" && ln -s "${dir}/target" "${dir}/link" && exec sleep 60`,
    ]);
    await waitFor(() => readExe(inner.pid!)?.endsWith('sleep'), 10_000, 'the namespace to be set up');
    const theirs = seenBy(inner.pid!, dir)!;
    expect(theirs.isDirectory).toBe(true);
    expect({ dev: theirs.dev, ino: theirs.ino }).not.toEqual(idOf(dir));
    // the kernel would resolve "<dir>/target" from OUR root here; seenBy stays in theirs
    const link = seenBy(inner.pid!, join(dir, 'link'))!;
    expect(link.path).toBe(join(dir, 'target'));
    expect(link.dev).toBe(theirs.dev);
    expect({ dev: link.dev, ino: link.ino }).not.toEqual(idOf(join(dir, 'target')));
  });
});
