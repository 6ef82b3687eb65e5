// Which processes are daemons of another fbuild release (DESIGN §10), described as daemon programs and matched
// the way their interpreter reads the command line (daemon/shared/program.ts):
//   Python 1.3.27           python -m fbuild.daemon.daemon --spawned-by=<client pid>
//   Python 1.3.28 – 1.3.38  python -m fbuild.daemon.daemon --launched-by=<client pid>
//   Python 1.5.x            python -m fbuild.daemon.daemon …
//   Rust 2.x                fbuild-daemon …
// `python3 -c X -m fbuild.daemon.daemon` runs X, not the module, so it is not one; nor is any process whose
// executable (/proc/PID/exe) is not the interpreter its command line claims.
import { type DaemonProgram, matchProgram, type ProcessView } from '../../daemon/shared/program.js';
import type { ForeignFamily } from './layouts.js';

export interface ForeignKind {
  family: ForeignFamily;
  release: string;
  launcher: number | null;
  /** its executable was read from /proc and is the release's: only then may --fix stop it */
  proved: boolean;
}

const PYTHON_DAEMON: DaemonProgram = {
  name: 'Python fbuild daemon',
  interpreter: 'python',
  executable: /^python(\d+(\.\d+)*)?w?(\.exe)?$/i,
  entries: [{ module: 'fbuild.daemon.daemon' }, { pathEndsWith: ['fbuild', 'daemon', 'daemon.py'] }],
  marker: null,
};

const RUST_DAEMON: DaemonProgram = {
  name: 'Rust fbuild daemon',
  interpreter: 'native',
  executable: /^fbuild-daemon(\.exe)?$/i,
  entries: [],
  marker: null,
};

/** `--name=<pid>` among the program's own arguments: 'absent', or the pid (null when not a number). */
function flag(args: readonly string[], name: string): number | null | 'absent' {
  const a = args.find((x) => x.startsWith(`--${name}=`));
  if (a === undefined) return 'absent';
  const n = Number(a.slice(name.length + 3));
  return Number.isSafeInteger(n) ? n : null;
}

export function recogniseForeign(view: ProcessView): ForeignKind | null {
  const python = matchProgram(PYTHON_DAEMON, view);
  if (python) {
    const { args, proved } = python;
    const spawned = flag(args, 'spawned-by');
    if (spawned !== 'absent')
      return { family: 'python-1.3', release: 'Python fbuild 1.3.27 or older', launcher: spawned, proved };
    const launched = flag(args, 'launched-by');
    if (launched !== 'absent')
      return { family: 'python-1.3', release: 'Python fbuild 1.3.28–1.3.38', launcher: launched, proved };
    return { family: 'modern', release: 'Python fbuild 1.5.x', launcher: null, proved };
  }
  const rust = matchProgram(RUST_DAEMON, view);
  return rust ? { family: 'modern', release: 'Rust fbuild 2.x', launcher: null, proved: rust.proved } : null;
}

/** Two processes are duplicates when they run the same command line but for the launcher's pid. */
export function duplicateKey(argv: readonly string[]): string {
  return argv.filter((a) => !a.startsWith('--spawned-by=') && !a.startsWith('--launched-by=')).join('\0');
}
