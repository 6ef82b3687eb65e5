// Opening the endpoint, after the owner lock is held. The mechanisms differ in what the OS guarantees:
//  - abstract (Linux): the kernel refuses a second bind (EADDRINUSE) and frees the name when the holder
//    dies, so EADDRINUSE means a live process has the name: never ours to take.
//  - pipe (Windows): real Windows refuses a second first-instance pipe; Wine does not (DESIGN §3) — the
//    owner lock and the self-check are what keep I1 there.
//  - sockfile (the POSIX default): a socket file survives SIGKILL. A leftover answers ECONNREFUSED; only the
//    owner-lock holder may remove it, and only after that probe, so a live listener is never unlinked.

import { unlinkSync } from 'node:fs';
import type { Server } from 'node:net';
import { errnoCode, FbuildError } from '../../../errors.js';
import { type Endpoint, squatterHint } from '../../shared/endpoint.js';
import { probeConnect } from '../../shared/endpoint-probe.js';
import { socketAddress } from '../../shared/socket-address.js';

function listenOnce(server: Server, endpoint: Endpoint): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (err: Error) => {
      server.off('listening', onListening);
      reject(err);
    };
    const onListening = () => {
      server.off('error', onError);
      resolve();
    };
    server.once('error', onError);
    server.once('listening', onListening);
    const addr = socketAddress(endpoint);
    try {
      server.listen(addr.address); // binds synchronously: the address may be released right after
    } finally {
      addr.release();
    }
  });
}

export async function listenEndpoint(server: Server, endpoint: Endpoint): Promise<void> {
  try {
    await listenOnce(server, endpoint);
    return;
  } catch (err) {
    if (errnoCode(err) !== 'EADDRINUSE') throw endpointError(endpoint, err);
    if (endpoint.kind !== 'sockfile') throw inUse(endpoint);
  }
  if ((await probeConnect(endpoint)) === 'listening') throw inUse(endpoint);
  try {
    unlinkSync(endpoint.path); // a leftover of a dead daemon; we hold the owner lock, so it is ours to clear
  } catch (err) {
    if (errnoCode(err) !== 'ENOENT') throw endpointError(endpoint, err);
  }
  try {
    await listenOnce(server, endpoint);
  } catch (err) {
    throw errnoCode(err) === 'EADDRINUSE' ? inUse(endpoint) : endpointError(endpoint, err);
  }
}

function inUse(endpoint: Endpoint): FbuildError {
  return new FbuildError(
    'ENDPOINT_IN_USE',
    `endpoint ${endpoint.display} is already taken by a process that does not hold the owner lock (an impostor, or a daemon whose owner record was removed): ${squatterHint(endpoint)}`,
    { endpoint: endpoint.display },
  );
}

function endpointError(endpoint: Endpoint, err: unknown): FbuildError {
  return new FbuildError(
    'DAEMON_SPAWN_FAILED',
    `cannot listen on ${endpoint.display}: ${(err as Error).message}`,
    { endpoint: endpoint.display },
    { cause: err },
  );
}
