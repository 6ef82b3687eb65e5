// Moving aside something planted where a state file belongs (a FIFO, directory, socket, device or symlink; or,
// for the daemon log, a file with other hard links): renamed within the state directory, never opened or
// deleted, so it stays as evidence of what put it there and the name is free for the real file.
import { lstatSync, renameSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileStamp } from '../../clock.js';
import type { FixAction } from '../types.js';

type MoveAside = Extract<FixAction, { kind: 'move-aside' }>;

const MARKER = /^(.*)\.(reap-[0-9a-f]+)$/;

/**
 * Where `path` goes: `<name>.doctor-<time>`. A takeover marker `<lock>.reap-<id>` becomes
 * `<lock>.doctor-<time>.reap-<id>`, so the lock library no longer lists it among the lock's markers.
 */
export function asidePath(path: string, time: string): string {
  const name = basename(path);
  const m = MARKER.exec(name);
  return join(dirname(path), m ? `${m[1]}.doctor-${time}.${m[2]}` : `${name}.doctor-${time}`);
}

/** Carries out `action` after judging again what is at the path now; returns what happened. */
export function moveAside(action: MoveAside): { done: boolean; detail: string } {
  let st: ReturnType<typeof lstatSync>;
  try {
    st = lstatSync(action.path);
  } catch {
    return { done: false, detail: `${action.path} is gone already` };
  }
  if (st.isFile() && !(action.hardLinked === true && st.nlink > 1))
    return { done: false, detail: `${action.path} is a regular file now: left alone` };
  const aside = asidePath(action.path, fileStamp());
  renameSync(action.path, aside);
  return { done: true, detail: `moved to ${aside}` };
}
