// Which processes are daemons of another fbuild release, from their command line (DESIGN §10):
//   Python 1.3.27           python -m fbuild.daemon.daemon --spawned-by=<client pid>
//   Python 1.3.28 – 1.3.38  python -m fbuild.daemon.daemon --launched-by=<client pid>
//   Python 1.5.x            python -m fbuild.daemon.daemon …
//   Rust 2.x                fbuild-daemon …
import { basename } from 'node:path';
import type { ForeignFamily } from './layouts.js';

export interface ForeignKind {
  family: ForeignFamily;
  release: string;
  launcher: number | null;
}

const PY_MODULE = 'fbuild.daemon.daemon';

function flag(argv: readonly string[], name: string): number | null {
  const a = argv.find((x) => x.startsWith(`--${name}=`));
  if (a === undefined) return null;
  const n = Number(a.slice(name.length + 3));
  return Number.isSafeInteger(n) ? n : null;
}

export function recogniseForeign(argv: readonly string[]): ForeignKind | null {
  const python = argv.some(
    (a, i) => (a === PY_MODULE && argv[i - 1] === '-m') || a.replaceAll('\\', '/').endsWith('fbuild/daemon/daemon.py'),
  );
  if (python) {
    const spawned = flag(argv, 'spawned-by');
    if (spawned !== null || argv.some((a) => a.startsWith('--spawned-by=')))
      return { family: 'python-1.3', release: 'Python fbuild 1.3.27 or older', launcher: spawned };
    const launched = flag(argv, 'launched-by');
    if (launched !== null || argv.some((a) => a.startsWith('--launched-by=')))
      return { family: 'python-1.3', release: 'Python fbuild 1.3.28–1.3.38', launcher: launched };
    return { family: 'modern', release: 'Python fbuild 1.5.x', launcher: null };
  }
  const exe = basename((argv[0] ?? '').replaceAll('\\', '/'));
  if (exe === 'fbuild-daemon' || exe === 'fbuild-daemon.exe')
    return { family: 'modern', release: 'Rust fbuild 2.x', launcher: null };
  return null;
}

/** Two processes are duplicates when they run the same command line but for the launcher's pid. */
export function duplicateKey(argv: readonly string[]): string {
  return argv.filter((a) => !a.startsWith('--spawned-by=') && !a.startsWith('--launched-by=')).join('\0');
}
