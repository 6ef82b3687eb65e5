// How an interpreter reads its own command line: which program it runs, and which arguments that program gets.
// "Its argv contains the marker" takes every wrapper (`timeout 300 node daemon.mjs …`, `strace -f …`, `flock f …`)
// and every lookalike (`python3 -c 'sleep' --fbuild-daemon …`) for the daemon; reading argv the way the
// interpreter does leaves only the process that really runs the program. Pure: tests feed it any argv.

export type Entry =
  /** a file run as the main program (as written on the command line) */
  | { kind: 'script'; path: string }
  /** `python -m NAME` */
  | { kind: 'module'; name: string }
  /** inline code (`-e`, `-p`, `-c`), stdin, a REPL, or a mode that runs no main program (`--test`, `--watch`) */
  | { kind: 'none' };

export interface ParsedCommand {
  entry: Entry;
  /** what the program sees after its entry (`process.argv.slice(2)`, `sys.argv[1:]`) */
  args: string[];
}

const NONE: Entry = { kind: 'none' };

// Node's own options that take the next argument as their value when written without `=` (node --help, Node 20
// to 24). Any other option does not: node hands unknown ones to V8 as they are, and `--stack-size 2000` is an error.
const NODE_VALUE_OPTIONS = new Set(
  `-e --eval -p --print -pe -r --require -C --conditions --import --loader --experimental-loader --input-type
  --title --env-file --env-file-if-exists --watch-path --test-name-pattern --test-skip-pattern --test-reporter
  --test-reporter-destination --test-concurrency --test-shard --test-timeout --experimental-policy
  --policy-integrity --experimental-default-type --experimental-sea-config --build-snapshot-config --snapshot-blob
  --openssl-config --tls-cipher-list --tls-keylog --redirect-warnings --report-dir --report-directory
  --report-filename --report-signal --diagnostic-dir --cpu-prof-dir --cpu-prof-name --cpu-prof-interval
  --heap-prof-dir --heap-prof-name --heap-prof-interval --heapsnapshot-signal --heapsnapshot-near-heap-limit
  --icu-data-dir --dns-result-order --unhandled-rejections --trace-event-categories --trace-event-file-pattern
  --trace-require-module --secure-heap --secure-heap-min --disable-proto --disable-warning --max-http-header-size
  --use-largepages --v8-pool-size --inspect-publish-uid --allow-fs-read --allow-fs-write
  --network-family-autoselection-attempt-timeout --localstorage-file --run`.split(/\s+/),
);

// options after which the first positional argument is not a main program node runs in this process: inline
// code, a syntax check, the test runner, and watch mode (which runs the script in a child process of its own)
const NODE_NO_MAIN = new Set(
  '-e --eval -p --print -pe -c --check --test --watch --watch-path -i --interactive -h --help -v --version --v8-options --completion-bash --run --build-snapshot'.split(
    ' ',
  ),
);

/** `node [options] [script | -e code | -] [--] [arguments]` */
export function parseNodeArgv(argv: readonly string[]): ParsedCommand {
  let noMain = false;
  let i = 1;
  for (; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') {
      i++;
      break;
    }
    if (!arg.startsWith('-') || arg === '-') break;
    const eq = arg.indexOf('=');
    const name = eq < 0 ? arg : arg.slice(0, eq);
    if (NODE_NO_MAIN.has(name)) noMain = true;
    if (eq < 0 && NODE_VALUE_OPTIONS.has(name)) i++;
  }
  const first = argv[i];
  if (noMain || first === undefined || first === '-') return { entry: NONE, args: argv.slice(i + 1) };
  return { entry: { kind: 'script', path: first }, args: argv.slice(i + 1) };
}

/**
 * `python [options] (-c cmd | -m module | script | -) [arguments]`. Short options combine (`-Bu`), and one that
 * takes a value (-c, -m, -W, -X) takes the rest of its argument or else the next one. `-c` and `-m` end option
 * parsing: in `python3 -c X -m fbuild.daemon.daemon` the program is X, and `-m …` are its arguments.
 */
export function parsePythonArgv(argv: readonly string[]): ParsedCommand {
  for (let i = 1; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') i++;
    if (arg === '--' || !arg.startsWith('-')) {
      const script = argv[i];
      return script === undefined
        ? { entry: NONE, args: [] }
        : { entry: { kind: 'script', path: script }, args: argv.slice(i + 1) };
    }
    if (arg === '-') return { entry: NONE, args: argv.slice(i + 1) };
    if (arg.startsWith('--')) {
      if (arg === '--check-hash-based-pycs') i++;
      continue;
    }
    for (let k = 1; k < arg.length; k++) {
      const letter = arg[k]!;
      if (!'cmWX'.includes(letter)) continue;
      const value = k + 1 < arg.length ? arg.slice(k + 1) : argv[++i];
      if (value === undefined) return { entry: NONE, args: [] }; // python stops with a usage error
      if (letter === 'c') return { entry: NONE, args: argv.slice(i + 1) };
      if (letter === 'm') return { entry: { kind: 'module', name: value }, args: argv.slice(i + 1) };
      break; // -W / -X took the rest of this argument
    }
  }
  return { entry: NONE, args: [] }; // the REPL
}

/** A native executable is its own program: argv[0] is the entry. */
export function parseNativeArgv(argv: readonly string[]): ParsedCommand {
  const first = argv[0];
  return first === undefined
    ? { entry: NONE, args: [] }
    : { entry: { kind: 'script', path: first }, args: argv.slice(1) };
}
