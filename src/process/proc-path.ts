// A path as one process sees it: the kit's one reader of /proc/PID/root and /proc/PID/cwd. Processes in other
// mount namespaces (a container, `unshare --mount`, a tmpfs mounted over a directory) can see another directory
// under the same path string, so "is this the same directory?" is answered by device + inode of the path
// resolved in that process's root, never by comparing strings. The kernel follows an absolute symlink met under
// /proc/PID/root from the reader's root, not the process's, so symlinks are read and followed here, one
// component at a time, inside the process's root. Null where there is no /proc, the process is gone or not
// ours to look into, or the path does not exist for it.
import { lstatSync, readlinkSync, statSync } from 'node:fs';
import { processPlatform } from './platform.js';

export interface SeenPath {
  /** the path with every symlink resolved, inside the process's own root */
  path: string;
  dev: bigint;
  ino: bigint;
  isDirectory: boolean;
}

/** the kernel's own limit on symlinks followed in one lookup (ELOOP) */
const MAX_LINKS = 40;

function resolveIn(root: string, start: string[], path: string): string[] | null {
  const done = [...start]; // components resolved so far, free of symlinks
  const todo = path.split('/');
  let links = 0;
  while (todo.length > 0) {
    const name = todo.shift()!;
    if (name === '' || name === '.') continue;
    if (name === '..') {
      done.pop(); // lexical is right here: nothing in `done` is a symlink (and `..` of the root is the root)
      continue;
    }
    const at = `${root}/${[...done, name].join('/')}`;
    if (!lstatSync(at).isSymbolicLink()) {
      done.push(name);
      continue;
    }
    if (++links > MAX_LINKS) return null;
    const target = readlinkSync(at);
    if (target.startsWith('/')) done.length = 0;
    todo.unshift(...target.split('/'));
  }
  return done;
}

/** `path` (absolute, or relative to the process's working directory) as process `pid` sees it. */
export function seenBy(pid: number, path: string): SeenPath | null {
  if (!processPlatform.procfs || path === '') return null;
  const root = `/proc/${pid}/root`;
  try {
    // the working directory as the kernel prints it is already free of symlinks
    const start = path.startsWith('/') ? [] : readlinkSync(`/proc/${pid}/cwd`).split('/').filter(Boolean);
    const parts = resolveIn(root, start, path);
    if (parts === null) return null;
    const st = statSync(`${root}/${parts.join('/')}`, { bigint: true });
    return { path: `/${parts.join('/')}`, dev: st.dev, ino: st.ino, isDirectory: st.isDirectory() };
  } catch {
    return null;
  }
}
