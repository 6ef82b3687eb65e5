// How fbuild's daemon is recognised from outside (`fbuild doctor`, and the kit itself before it trusts an owner
// record or signals a pid): the program it is — a node executable running a kit build's daemon entry with this
// marker right after it — and the state directory its `--state-dir=` names, compared as that process sees it.
// A wrapper (`timeout`, `strace -f`, `flock`, `unshare -f`) carries the same words in its argv but is not the
// program; its child is. (The rig's census matches its own DaemonSignature data, harness/census.)
import { realpathSync } from 'node:fs';
import { resolve } from 'node:path';
import { readCmdline, seenBy } from '../../process/index.js';
import { parseNodeArgv } from './command-line.js';
import { type DaemonDefinition, FBUILD_DEFINITION, nameOf } from './definition.js';
import { type DaemonProgram, matchProgram, type ProcessView, viewOf } from './program.js';

export const DAEMON_MARKER = '--fbuild-daemon';
const STATE_DIR_ARG = '--state-dir=';
const NAME_ARG = '--daemon-name=';
const NODE_EXE = /^(node|nodejs)(\d+)?(\.exe)?$/i;

/** What the kit appends to a daemon's command. fbuild's own daemon carries no name (as before names). */
export function daemonArgs(stateDir: string, name?: string): string[] {
  const args = [DAEMON_MARKER, `${STATE_DIR_ARG}${stateDir}`];
  return name === undefined || name === FBUILD_DEFINITION.name ? args : [...args, `${NAME_ARG}${name}`];
}

/** The kit's arguments as a daemon program reads them (DaemonRuntime.fromArgv); null without the marker. */
export function readDaemonArgs(args: readonly string[]): { stateDir: string | undefined; name: string } | null {
  const at = args.indexOf(DAEMON_MARKER);
  if (at < 0) return null;
  const value = (prefix: string) => args.find((a) => a.startsWith(prefix))?.slice(prefix.length);
  return { stateDir: value(STATE_DIR_ARG), name: nameOf(value(NAME_ARG)) };
}

/**
 * fbuild's daemon program. Its entry is the bundled `dist/bin/daemon.cjs` (what ensureDaemon spawns; `daemon.mjs`
 * in builds before 2026-12-07, whose daemons may still run) or the compiled `dist/src/daemon/server/main.js` it
 * is built from, of ANY install of the kit, run by any node binary:
 * a global and a project-local fbuild, or two Node versions, share the default state directory, and doctor run
 * from one must see daemons started by the other. The directory check below is what ties a daemon to ours.
 */
export const FBUILD_DAEMON: DaemonProgram = {
  name: 'fbuild daemon',
  interpreter: 'node',
  executable: NODE_EXE,
  entries: [
    { pathEndsWith: ['dist', 'bin', 'daemon.cjs'] },
    { pathEndsWith: ['dist', 'bin', 'daemon.mjs'] },
    { pathEndsWith: ['dist', 'src', 'daemon', 'server', 'main.js'] },
  ],
  marker: DAEMON_MARKER,
};

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const segments = (path: string) => path.replaceAll('\\', '/').split('/').filter(Boolean);

/** A tool's daemon program as data: judged by executable + entry module (its command's script) + marker. */
export function programOf(def: DaemonDefinition): DaemonProgram {
  if (def === FBUILD_DEFINITION) return FBUILD_DAEMON;
  const exe = def.command[0] ?? '';
  const exeName = segments(exe).pop() ?? exe;
  if (NODE_EXE.test(exeName)) {
    const { entry } = parseNodeArgv([...def.command, DAEMON_MARKER]);
    const script = entry.kind === 'script' ? entry.path : null;
    return {
      name: `${def.name} daemon`,
      interpreter: 'node',
      executable: NODE_EXE,
      entries: script === null ? [] : [{ pathEndsWith: segments(realOrResolved(script)) }],
      marker: DAEMON_MARKER,
    };
  }
  return {
    name: `${def.name} daemon`,
    interpreter: 'native',
    executable: new RegExp(`^${escapeRegExp(exeName)}$`),
    entries: [],
    marker: null,
  };
}

function realOrResolved(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return resolve(path);
  }
}

export interface DaemonSighting {
  /** the state directory as its command line names it */
  stateDir: string;
  /** 'this': the directory asked about (device + inode as that process sees its path, where /proc tells) */
  serves: 'this' | 'other';
  /** program and directory both proved from /proc; never true where only a command line is known */
  proved: boolean;
}

/** Do two paths name one directory (through symlinks where both exist)? From this process's view only. */
export function sameDirectory(left: string, right: string): boolean {
  try {
    return realpathSync(left) === realpathSync(right);
  } catch {
    return resolve(left) === resolve(right);
  }
}

/** Is `dirArg`, as process `pid` sees it, the directory `stateDir` is here? null: not readable from /proc. */
function sameAsSeen(pid: number | null, dirArg: string, stateDir: string): boolean | null {
  const theirs = pid === null ? null : seenBy(pid, dirArg);
  if (theirs === null) return null;
  const ours = seenBy(process.pid, stateDir);
  // a directory that does not exist here cannot be the one that process serves
  return ours !== null && ours.dev === theirs.dev && ours.ino === theirs.ino;
}

/** The state directory a process of the daemon program names (its `--state-dir=`, after the marker). */
function stateDirArg(view: ProcessView, def: DaemonDefinition): { dir: string; proved: boolean } | null {
  const m = matchProgram(programOf(def), view);
  const read = m ? readDaemonArgs(m.args) : null;
  if (!m || !read?.stateDir || read.name !== def.name) return null;
  return { dir: read.stateDir, proved: m.proved };
}

/** Is this process fbuild's daemon, and does it serve `stateDir`? Null when it is not the daemon program. */
export function recogniseDaemon(
  view: ProcessView,
  stateDir: string,
  def: DaemonDefinition = FBUILD_DEFINITION,
): DaemonSighting | null {
  const named = stateDirArg(view, def);
  if (named === null) return null;
  const same = sameAsSeen(view.pid, named.dir, stateDir);
  const serves = (same ?? sameDirectory(named.dir, stateDir)) ? 'this' : 'other';
  return { stateDir: named.dir, serves, proved: named.proved && same !== null };
}

/**
 * Is `pid` a daemon of `stateDir`? 'daemon': proved (executable, entry, marker, directory as it sees it).
 * 'other': its command line or executable shows it is not the daemon program (a wrapper, a lookalike, a reused
 * pid, a forged record), or it serves another directory. 'unproved': its command line is the daemon's, but its
 * executable or its directory is not ours to read — never signalled. 'unknown': nothing to read here (no /proc:
 * macOS, Windows; or a zombie).
 */
export function daemonProcessCheck(
  pid: number,
  stateDir: string,
  def: DaemonDefinition = FBUILD_DEFINITION,
): 'daemon' | 'other' | 'unproved' | 'unknown' {
  const argv = readCmdline(pid);
  if (argv === null || argv.length === 0) return 'unknown';
  const seen = recogniseDaemon(viewOf(pid, argv), stateDir, def);
  if (seen === null) return 'other';
  if (!seen.proved) return 'unproved';
  return seen.serves === 'this' ? 'daemon' : 'other';
}

/**
 * Does a command line (as text, split on spaces: what ps shows) run fbuild's daemon for `stateDir` (any state
 * directory when omitted)? Read as node reads it, so wrappers and lookalikes are told apart; from the text alone
 * nothing is proved (daemonProcessCheck is what may precede a signal).
 */
export function isDaemonCommandLine(cmd: string, stateDir?: string): boolean {
  const m = stateDirArg({ pid: null, argv: cmd.split(' '), exe: null }, FBUILD_DEFINITION);
  return m !== null && (stateDir === undefined || m.dir === stateDir);
}
