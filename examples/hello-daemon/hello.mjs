#!/usr/bin/env node
// The hello tool's client: `hello [WHO]` greets through the daemon (started on first use, one for every
// concurrent caller), `hello stop` stops it and waits until it is gone. State directory: FBUILD_DAEMON_DIR,
// else the kit's default. Prints JSON, so scripts and tests read the answer.
import { fileURLToPath } from 'node:url';
import { requestDaemon, stopDaemon } from 'fbuild-daemon-kit';

export const daemon = {
  name: 'hello',
  command: [process.execPath, fileURLToPath(new URL('./hello-daemon.mjs', import.meta.url))],
};

export async function greet(who, stateDir) {
  const { result, spawned } = await requestDaemon('greet', { who }, { stateDir, daemon, readOnly: true });
  return { ...result, spawned };
}

export async function stop(stateDir) {
  return stopDaemon({ stateDir, daemon });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [arg = 'world'] = process.argv.slice(2);
  try {
    const out = arg === 'stop' ? await stop() : await greet(arg);
    process.stdout.write(`${JSON.stringify(out)}\n`);
  } catch (err) {
    process.stderr.write(`hello: ${err.code ?? 'ERROR'}: ${err.message}\n`);
    process.exitCode = 1;
  }
}
