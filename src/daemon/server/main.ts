#!/usr/bin/env node
// The fbuild daemon process: `node main.js --fbuild-daemon --state-dir=DIR`. The marker argument and the
// state directory in argv are the daemon's signature for the rig's census and for `fbuild doctor`.
// Started detached by ensureDaemon(); stdout/stderr are daemon.log.
import { join } from 'node:path';
import { FbuildError, isFbuildError } from '../../errors.js';
import { emit } from '../../events.js';
import { resolveConfig } from '../shared/config.js';
import { DAEMON_EXIT, exitCodeFor } from '../shared/exit-codes.js';
import type { RequestName } from '../shared/protocol/requests.js';
import { DAEMON_MARKER } from '../shared/signature.js';
import type { BuiltinName } from './builtins.js';
import type { Handler } from './handler.js';
import { createInstallHandler } from './install/handler.js';
import { fileLogger, rotateIfLarge } from './log.js';
import { DaemonRuntime } from './runtime.js';
import { createSerialService } from './serial/handlers.js';

async function main(argv: string[]): Promise<number> {
  if (!argv.includes(DAEMON_MARKER)) {
    process.stderr.write(`this is the fbuild daemon; start it with \`fbuild daemon start\`, not directly\n`);
    return DAEMON_EXIT.badUsage;
  }
  const dirArg = argv.find((a) => a.startsWith('--state-dir='))?.slice('--state-dir='.length);
  const config = resolveConfig(process.env, dirArg);
  rotateIfLarge(config.files.log);
  const log = fileLogger(config.files.log);
  const runtime = new DaemonRuntime(config, log);
  const serial = createSerialService({ log });
  // every request of the map beyond the built-ins: one missing here fails to compile
  const hosted = {
    install: createInstallHandler({ cacheDir: join(config.stateDir, 'cache') }),
    ...serial.handlers,
  } satisfies { [K in Exclude<RequestName, BuiltinName>]: Handler<K> };
  runtime.register('install', hosted.install);
  runtime.register('ports', hosted.ports);
  runtime.register('monitor', hosted.monitor);
  runtime.register('deploy', hosted.deploy);
  runtime.statusSection('serial', serial.status);
  // monitors run until told otherwise: a stop ends them at once (a deploy in progress is let finish)
  runtime.onStopping(() =>
    serial.manager.endMonitors(new FbuildError('SHUTTING_DOWN', 'the daemon is shutting down: monitor ended')),
  );
  try {
    await runtime.start();
  } catch (err) {
    const code = isFbuildError(err) ? err.code : undefined;
    emit('daemon', 'claim-failed', { code: code ?? 'CRASH', message: (err as Error).message });
    log(`not starting: ${(err as Error).message}`);
    return exitCodeFor(code);
  }
  for (const sig of ['SIGTERM', 'SIGINT', 'SIGHUP', 'SIGBREAK'] as const) {
    process.on(sig, () => void runtime.stop({ kind: 'signal', detail: sig }));
  }
  const reason = await runtime.exited;
  emit('daemon', 'exit', { reason: reason.kind });
  return reason.kind === 'fenced' ? DAEMON_EXIT.fenced : DAEMON_EXIT.ok;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`fbuild daemon crashed: ${(err as Error)?.stack ?? String(err)}\n`);
    emit('daemon', 'exit', { reason: 'crash' });
    process.exit(isFbuildError(err) ? exitCodeFor(err.code) : DAEMON_EXIT.crashed);
  },
);
