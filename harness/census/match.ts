// Does a process belong to the round? Matching is apart from the listing so unit tests feed it synthetic argv.
// A 'program' signature asks the program matcher `fbuild doctor` uses (src/daemon/shared/program.ts): the
// executable the process runs and the entry it runs, as that process sees the path, then the marker. So a
// wrapper — `timeout`, `strace -f`, `flock`, `sh -c` — that carries the daemon's words in its own argv is not
// counted as a daemon; the daemon it started is.
import { matchProgram, type ProcessView } from '../../src/index.js';
import type { DaemonSignature } from '../engine/strategy.js';

/** The cheap test, on argv alone, asked before anything else of a process is read: could it carry `sig`? */
export function mayCarry(sig: DaemonSignature, argv: readonly string[]): boolean {
  if (argv.length === 0) return false;
  if (sig.kind === 'program') return sig.args.every((a) => argv.includes(a));
  return new RegExp(sig.regex).test(argv.join(' '));
}

/**
 * Does the process carry `sig`? `argv` is exact when it came from /proc; elsewhere it is the command line split on
 * spaces (the rig's state dirs never contain spaces). `env` is consulted only for external signatures and only
 * when the argv matched, since reading environ costs a syscall per candidate; null means "unreadable here".
 */
export function carriesSignature(
  sig: DaemonSignature,
  proc: ProcessView,
  env: () => Map<string, string> | null,
): boolean {
  if (!mayCarry(sig, proc.argv)) return false;
  if (sig.kind === 'program') {
    const m = matchProgram(sig.program, proc);
    return m !== null && sig.args.every((a) => m.args.includes(a));
  }
  const vars = env();
  // Where the environment cannot be read (not Linux), the regex alone has to do; the state dir is still unique.
  return vars === null ? true : vars.get(sig.envKey) === sig.envValue;
}
