// Pure parsing and matching for the census, kept apart from I/O so unit tests feed it synthetic /proc text.
import type { DaemonSignature } from '../engine/strategy.js';

/**
 * Does a process belong to the round? `argv` is exact when it came from /proc; from ps-list it is the command
 * line split on spaces (the rig's state dirs never contain spaces). `env` is consulted only for external
 * signatures and only when the argv matched, since reading environ costs a syscall per candidate.
 */
export function matchesSignature(
  sig: DaemonSignature,
  argv: readonly string[],
  env: () => Map<string, string> | null,
): boolean {
  if (argv.length === 0) return false;
  if (sig.kind === 'argv') return sig.markers.every((m) => argv.includes(m));
  if (!new RegExp(sig.regex).test(argv.join(' '))) return false;
  const vars = env();
  // Where the environment is unreadable (not Linux), the regex alone has to do; the state dir is still unique.
  return vars === null ? true : vars.get(sig.envKey) === sig.envValue;
}
