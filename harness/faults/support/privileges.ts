// What some faults need of this machine: root, to mount a file system or to act as another user. Asked once;
// a fault that cannot run here says why and is skipped (never counted as passed).
import { spawnSync } from 'node:child_process';

let rootMount: boolean | null = null;

/** null when this process may mount (root on Linux, mount available), else why not. */
export function needsMount(): string | null {
  if (process.platform !== 'linux') return `needs Linux mounts (this is ${process.platform})`;
  if (process.getuid?.() !== 0) return 'needs root to mount a file system (run the rig as root, e.g. in a container)';
  rootMount ??= spawnSync('mount', ['--version'], { stdio: 'ignore' }).status === 0;
  return rootMount ? null : 'needs the mount command (util-linux)';
}

/**
 * null when this process can run `program` (a file of this tree) as another user — setpriv as root, and that user
 * can read the file — else why not.
 */
export function needsOtherUser(program: string): string | null {
  if (process.platform !== 'linux') return `needs Linux setpriv (this is ${process.platform})`;
  if (process.getuid?.() !== 0) return 'needs root to run a process as another user (setpriv)';
  if (spawnSync('setpriv', ['--version'], { stdio: 'ignore' }).status !== 0) return 'needs setpriv (util-linux)';
  return unreadableByOtherUser(program);
}

const readable = new Map<string, string | null>();

/**
 * null when uid 65534 can read `path`, else why not; asked once per path. A tree inside a directory closed to
 * other users — a clone in `mktemp -d`'s 0700 directory — is out of its reach, whatever the files' own modes.
 */
export function unreadableByOtherUser(path: string): string | null {
  let why = readable.get(path);
  if (why === undefined) {
    const probe = "require('fs').accessSync(process.argv[1], require('fs').constants.R_OK)";
    const [cmd, ...args] = asOtherUser([process.execPath, '-e', probe, path]);
    const r = spawnSync(cmd!, args, { encoding: 'utf8' });
    const code = /\b(E[A-Z]+)\b/.exec(r.stderr ?? '')?.[1] ?? r.error?.message ?? `exit ${r.status}`;
    why =
      r.status === 0
        ? null
        : `uid 65534 cannot read ${path} (${code}): a directory above it is closed to other users (e.g. a clone inside mktemp -d's 0700 directory)`;
    readable.set(path, why);
  }
  return why;
}

/** The command line that runs `argv` as uid/gid 65534 (nobody) with no supplementary groups (see needsOtherUser). */
export function asOtherUser(argv: readonly string[]): string[] {
  return ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups', ...argv];
}

export function run(cmd: string, args: string[]): void {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status}): ${r.stderr.trim()}`);
}

/** Unmounts `dir` if something is mounted there (a cleanup that must not fail when restore already did it). */
export function unmountQuiet(dir: string): void {
  spawnSync('umount', [dir], { stdio: 'ignore' });
}
