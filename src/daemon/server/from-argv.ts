// What a daemon program started by the kit reads from its command line (DaemonRuntime.fromArgv): the kit appended
// its marker, the state directory and the tool's name to the tool's command (client/spawn.ts), so the program
// learns which directory it serves and whose daemon it is, and its definition is the command it was started with.
import { FbuildError } from '../../errors.js';
import { type DaemonConfig, resolveConfig } from '../shared/config.js';
import { FBUILD_DEFINITION } from '../shared/definition.js';
import { DAEMON_MARKER, readDaemonArgs } from '../shared/signature.js';
import { fileLogger, type Logger, rotateIfLarge } from './log.js';

export function argvConfig(argv: readonly string[], env: NodeJS.ProcessEnv): { config: DaemonConfig; log: Logger } {
  const read = readDaemonArgs(argv);
  if (read === null)
    throw new FbuildError(
      'BAD_OPTION',
      `a daemon program is started by the kit's client (ensureDaemon/requestDaemon), which passes ${DAEMON_MARKER}; it was not in ${JSON.stringify(argv.slice(1))}`,
      { option: 'argv' },
    );
  const at = argv.indexOf(DAEMON_MARKER);
  const daemon =
    read.name === FBUILD_DEFINITION.name ? FBUILD_DEFINITION : { name: read.name, command: argv.slice(0, at) };
  const config = resolveConfig(env, read.stateDir, daemon);
  rotateIfLarge(config.files.log);
  return { config, log: fileLogger(config.files.log) };
}

/** Signals stop the runtime gracefully, as they stop fbuild's own daemon. */
export function stopOnSignals(stop: (signal: string) => void): void {
  for (const sig of ['SIGTERM', 'SIGINT', 'SIGHUP', 'SIGBREAK'] as const) process.on(sig, () => stop(sig));
}
