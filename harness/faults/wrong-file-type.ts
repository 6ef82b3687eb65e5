// Something that is not a regular file sits where a state file belongs — a FIFO, a directory or a dangling
// symbolic link at the owner record, the spawn lock, the status file or the secret — left by a bad sync tool,
// a mistaken `mkdir`, or someone preparing an attack. One kind at one file per round (chosen by the seed).
// Must hold: nobody hangs on it (a FIFO blocks a naive open forever), nothing is followed, nothing of it is
// deleted; clients are served when the daemon can work around it, or fail fast with a coded error naming
// the path (STATE_FILE_NOT_REGULAR, STATE_FILE_SYMLINK, LOCK_SYMLINK …). The two files the owner rewrites
// may change: a damaged secret is moved aside (`secret.corrupt-*`, kept as evidence) and a new one made;
// status.json is replaced by an atomic rename (which never follows or opens what was there).
import { spawnSync } from 'node:child_process';
import { lstatSync, mkdirSync, readdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import type { Violation } from '../engine/results.js';
import type { RoundSeen } from '../engine/round/scenario.js';
import { spawnStorm, uncodedFailures } from './support/judge.js';
import type { FaultContext, FaultModule } from './types.js';

type Kind = 'fifo' | 'directory' | 'dangling-symlink';
const KINDS: readonly Kind[] = ['fifo', 'directory', 'dangling-symlink'];
const FILES = ['owner.json', 'spawn.lock', 'status.json', 'secret'] as const;

function typeOf(path: string): Kind | 'file' | 'missing' | 'other' {
  try {
    const st = lstatSync(path);
    return st.isFIFO()
      ? 'fifo'
      : st.isDirectory()
        ? 'directory'
        : st.isSymbolicLink()
          ? 'dangling-symlink'
          : st.isFile()
            ? 'file'
            : 'other';
  } catch {
    return 'missing';
  }
}

export const wrongFileType: FaultModule = {
  name: 'wrong-file-type',
  models: 'a FIFO, a directory or a dangling symlink where a state file belongs',
  holds: 'no hang, nothing followed or deleted; clients served or a coded error naming the path',
  expect: { hardened: 'single' },
  ignores: {
    invariants: ['I2', 'I3', 'I7'],
    why: "what the product can do depends on which file is damaged: judged by the fault's check",
  },
  available: () => (process.platform === 'win32' ? 'needs POSIX FIFOs (mkfifo)' : null),
  start(fault) {
    let planted: Planted | null = null;
    return {
      prepare() {
        planted = plantWrongType(fault);
      },
      check: (seen) => (planted === null ? [] : judgeWrongType(fault, planted, seen)),
    };
  },
};

interface Planted {
  file: string;
  kind: Kind;
}

function plantWrongType(fault: FaultContext): Planted {
  const kind = KINDS[Math.floor(fault.rng() * KINDS.length)]!;
  const file = FILES[Math.floor(fault.rng() * FILES.length)]!;
  const path = join(fault.ctx.stateDir, file);
  if (kind === 'fifo') {
    const r = spawnSync('mkfifo', ['-m', '600', path]);
    if (r.status !== 0) throw new Error(`mkfifo ${path} failed: ${r.stderr}`);
  } else if (kind === 'directory') mkdirSync(path, { mode: 0o700 });
  else symlinkSync(join(fault.ctx.stateDir, 'nowhere', 'target'), path);
  fault.note(`${kind} at ${file}`, { file, kind });
  return { file, kind };
}

function judgeWrongType(fault: FaultContext, planted: Planted, seen: RoundSeen): Violation[] {
  const out: Violation[] = [];
  const now = typeOf(join(fault.ctx.stateDir, planted.file));
  const movedAside =
    planted.file === 'secret' &&
    readdirSync(fault.ctx.stateDir).some(
      (n) => n.startsWith('secret.corrupt-') && typeOf(join(fault.ctx.stateDir, n)) === planted.kind,
    );
  const rewritten = planted.file === 'status.json' && now === 'file';
  if (now !== planted.kind && !movedAside && !rewritten)
    out.push({
      invariant: 'I5',
      message: `the ${planted.kind} planted at ${planted.file} is now ${now}: something removed or replaced what it does not own.`,
      evidence: { ...planted, now },
    });
  out.push(...uncodedFailures(seen), ...spawnStorm(seen, 2, `with a ${planted.kind} at ${planted.file}`));
  const codes = [...new Set(seen.workers.map((w) => (w.ok ? 'served' : (w.error?.code ?? '?'))))];
  fault.note(`outcome with ${planted.kind} at ${planted.file}: ${codes.join(', ')}`, { codes });
  return out;
}
