// What a daemon program looks like from outside, as data: the executable it runs on, how that executable reads
// its command line, which entry modules are the program, and the marker that must come right after the entry.
// One matcher serves fbuild's own daemon (signature.ts), the other fbuild releases' daemons (doctor/foreign),
// and any other program described the same way (a tool's `{ name, command }` daemon: its node binary, its entry
// file, the kit's marker). Where /proc tells, the executable is /proc/PID/exe and the entry is the file the
// process sees; elsewhere only the command line is known, and a match is never called proved.
import { readExe, seenBy } from '../../process/index.js';
import { type Entry, type ParsedCommand, parseNativeArgv, parseNodeArgv, parsePythonArgv } from './command-line.js';

export type EntryPattern =
  /** a script whose path (symlinks resolved where /proc tells) ends with these segments */
  | { pathEndsWith: readonly string[] }
  /** a module run by name (`python -m NAME`) */
  | { module: string };

export interface DaemonProgram {
  /** for messages */
  name: string;
  /** how its command line is read: by an interpreter (node, python) that runs an entry, or a native executable */
  interpreter: 'node' | 'python' | 'native';
  /** the executable's file name: checked against /proc/PID/exe where readable, else against argv[0] */
  executable: RegExp;
  /** the entries that are this program (empty: any; a native executable is its own entry) */
  entries: readonly EntryPattern[];
  /** the argument that must come right after the entry, or null */
  marker: string | null;
}

/** A process as far as it is known: `pid` null when only its command line is (nothing is read from /proc). */
export interface ProcessView {
  pid: number | null;
  argv: readonly string[];
  /** /proc/PID/exe, or null where unreadable */
  exe: string | null;
}

export interface ProgramMatch {
  /** the arguments after the entry (the marker first, where the program has one) */
  args: string[];
  /** the executable was read and matched, and so was the entry as the process sees it */
  proved: boolean;
}

const PARSERS: Record<DaemonProgram['interpreter'], (argv: readonly string[]) => ParsedCommand> = {
  node: parseNodeArgv,
  python: parsePythonArgv,
  native: parseNativeArgv,
};

const fileName = (path: string) => path.replaceAll('\\', '/').split('/').pop() ?? '';

function endsWith(path: string, tail: readonly string[]): boolean {
  const parts = path.replaceAll('\\', '/').split('/');
  return parts.length >= tail.length && tail.every((seg, i) => parts[parts.length - tail.length + i] === seg);
}

/** Does `entry` name one of the program's entries? `resolved`: the script as the process sees it, or null. */
function entryMatches(program: DaemonProgram, entry: Entry, resolved: string | null): boolean {
  if (program.interpreter === 'native' || program.entries.length === 0) return entry.kind !== 'none';
  return program.entries.some((pattern) => {
    if ('module' in pattern) return entry.kind === 'module' && entry.name === pattern.module;
    return entry.kind === 'script' && endsWith(resolved ?? entry.path, pattern.pathEndsWith);
  });
}

/** Does this process run `program`? Null when its executable or its command line says it does not. */
export function matchProgram(program: DaemonProgram, view: ProcessView): ProgramMatch | null {
  // the executable is the truth where it was read; argv[0] is only what the parent claimed
  if (!program.executable.test(fileName(view.exe ?? view.argv[0] ?? ''))) return null;
  const { entry, args } = PARSERS[program.interpreter](view.argv);
  if (program.marker !== null && args[0] !== program.marker) return null;
  const script = program.interpreter !== 'native' && entry.kind === 'script' ? entry.path : null;
  const seen = script !== null && view.pid !== null ? seenBy(view.pid, script) : null;
  if (!entryMatches(program, entry, seen?.path ?? null)) return null;
  return { args, proved: view.exe !== null && (script === null || seen !== null) };
}

/** The view of a live process, read from /proc where there is one. */
export function viewOf(pid: number, argv: readonly string[]): ProcessView {
  return { pid, argv, exe: readExe(pid) };
}
