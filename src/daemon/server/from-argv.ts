// What a daemon program started by the kit reads from its command line (DaemonRuntime.fromArgv): the kit appended
// its marker, the state directory and the tool's name to the tool's command (client/spawn.ts), so the program
// learns which directory it serves and whose daemon it is, and its definition is the command it was started with.
import { FbuildError } from '../../errors.js';
import { type DaemonConfig, resolveConfig } from '../shared/config.js';
import { FBUILD_DEFINITION } from '../shared/definition.js';
import { DAEMON_MARKER, readDaemonArgs } from '../shared/signature.js';
import { fileLogger, type Logger, rotateIfLarge } from './log.js';
import type { Lifecycle } from './runtime-lifecycle.js';

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

const SIGNALS = ['SIGTERM', 'SIGINT', 'SIGHUP', 'SIGBREAK'] as const;
type Signal = (typeof SIGNALS)[number];

/** A runtime's lifecycle as the signal handlers see it, and its graceful stop. */
type Where = Pick<Lifecycle, 'state' | 'next'>;
type Stop = (reason: { kind: 'signal'; detail: string }) => Promise<void>;

/**
 * Signals end a daemon program in any state. An owning runtime stops gracefully, as fbuild's own daemon does; a
 * claim in progress is let finish first. A runtime that owns nothing — not started yet, its claim refused
 * (ALREADY_OWNED), or already released — ends the process by the signal, as Node would without these handlers:
 * a handler that did nothing there left a process that ignored SIGTERM.
 */
export function endOnSignals(lifecycle: Where, stop: Stop): void {
  const handlers = SIGNALS.map((sig) => [sig, () => void onSignal(lifecycle, stop, sig, handlers)] as const);
  for (const [sig, handler] of handlers) process.on(sig, handler);
}

async function onSignal(
  lifecycle: Where,
  stop: Stop,
  sig: Signal,
  handlers: ReadonlyArray<readonly [Signal, () => void]>,
) {
  while (lifecycle.state === 'claiming') await lifecycle.next();
  if (lifecycle.state === 'ready' || lifecycle.state === 'draining') return stop({ kind: 'signal', detail: sig });
  for (const [name, handler] of handlers) process.off(name, handler);
  process.kill(process.pid, sig);
}
