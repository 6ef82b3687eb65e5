// The bench's floor for a client's one round trip: a trivial echo server in its own process (echo-server.ts)
// on the same kind of endpoint as the daemon; its client side is echo-client.ts.
import { type ChildProcess, spawn } from 'node:child_process';
import { endpointFor, endpointKindFromEnv } from '../../src/index.js';
import { entryPath } from '../../src/paths.js';

/** Starts an echo server on the endpoint derived from `dir` (a fresh dir); resolves once it listens. */
export async function startEcho(dir: string): Promise<{ child: ChildProcess; path: string }> {
  const path = endpointFor(dir, endpointKindFromEnv(process.env)).path;
  const child = spawn(process.execPath, [entryPath('harness/programs/echo-server'), JSON.stringify(path)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise<void>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`echo server exited with code ${code} before listening`)));
    child.stdout!.once('data', () => resolve());
  });
  child.removeAllListeners('exit');
  return { child, path };
}
