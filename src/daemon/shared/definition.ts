// Which program is the daemon: a tool's `{ name, command }`. fbuild's own daemon is the default definition
// (`node dist/bin/daemon.cjs`), not a special case. The kit appends its own arguments to the command (marker,
// state directory, name: signature.ts daemonArgs), and the name travels in the owner record and the handshake
// identity, so two tools never take one state directory for the same daemon.
import { FbuildError } from '../../errors.js';
import { daemonEntry } from '../../paths.js';

export interface DaemonDefinition {
  /** the tool's name: letters, digits, `.`, `_`, `-` (at most 64) */
  name: string;
  /** executable and its arguments, e.g. `[process.execPath, '/abs/path/daemon.mjs']` */
  command: readonly string[];
}

export const FBUILD_DAEMON_NAME = 'fbuild';

/** fbuild's own daemon; the command is resolved when a daemon is spawned (the build must exist by then). */
export const FBUILD_DEFINITION: DaemonDefinition = {
  name: FBUILD_DAEMON_NAME,
  get command() {
    return [process.execPath, daemonEntry()];
  },
};

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/** A definition checked once, where an option enters: coded BAD_OPTION for a bad name or an empty command. */
export function checkDefinition(def: DaemonDefinition): DaemonDefinition {
  if (typeof def?.name !== 'string' || !NAME.test(def.name))
    throw new FbuildError('BAD_OPTION', `daemon.name ${JSON.stringify(def?.name)} must match ${NAME.source}`, {
      option: 'daemon.name',
    });
  const cmd = def.command;
  if (!Array.isArray(cmd) || cmd.length === 0 || !cmd.every((a) => typeof a === 'string' && a !== ''))
    throw new FbuildError('BAD_OPTION', 'daemon.command must be a non-empty array of non-empty strings', {
      option: 'daemon.command',
    });
  return def;
}

/** The name a daemon's argv, record or identity carries; none at all: fbuild's (daemons before names). */
export function nameOf(named: string | undefined | null): string {
  return named ?? FBUILD_DAEMON_NAME;
}

/** "an fbuild daemon", "a hello daemon": for messages any tool's client may produce. */
export function aDaemonOf(def: DaemonDefinition): string {
  // "an fbuild": said ef-build
  const an = def.name === FBUILD_DAEMON_NAME || /^[aeiou]/i.test(def.name);
  return `${an ? 'an' : 'a'} ${def.name} daemon`;
}

/** How a person stops that daemon, for messages: fbuild's CLI, or the kit's stopDaemon a tool's own stop makes. */
export function stopHint(def: DaemonDefinition, force = false): string {
  if (def.name === FBUILD_DAEMON_NAME) return `\`fbuild daemon stop${force ? ' --force' : ''}\``;
  return `the ${def.name} tool's stop (the kit's stopDaemon${force ? ' with force: true' : ''})`;
}

export function otherToolError(stateDir: string, ours: string, theirs: string, pid?: number): FbuildError {
  return new FbuildError(
    'OWNER_OTHER_TOOL',
    `the daemon of '${theirs}'${pid === undefined ? '' : ` (pid ${pid})`} owns ${stateDir}, not one of '${ours}': give each tool its own state directory`,
    { stateDir, ours, theirs, ...(pid === undefined ? {} : { pid }) },
  );
}
