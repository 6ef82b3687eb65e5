// Ownership first (DESIGN §3, Watchman/Bazel): before the daemon opens its endpoint, writes a status or
// touches any resource, it takes the owner lock. The owner record, the endpoint and the self-check back each
// other up: the lock is exclusive on every platform, the endpoint is exclusive where the OS makes it so, and
// the self-check (self-check.ts) catches the case where one of them was not (Wine's named pipes).
import { lstatSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { FbuildError, isFbuildError } from '../../../errors.js';
import { unlinkQuiet } from '../../../fsutil/unlink-quiet.js';
import { describeHeldBy, type HeldLock } from '../../../lock/index.js';
import { ownIdentity } from '../../../process/index.js';
import { skipOwnershipClaim } from '../../../test-hooks.js';
import type { DaemonConfig } from '../../shared/config.js';
import { ownerLockOptions } from '../../shared/owner-lock-options.js';
import { judgeUnverifiableOwner } from '../../shared/owner-probe.js';
import type { DaemonIdentity } from '../../shared/protocol/messages.js';
import { ensureSecret, readSecret, replaceCorruptSecret } from '../../shared/protocol/secret.js';
import { ensureStateDir } from '../../shared/state-dir.js';
import { listenEndpoint } from './listen.js';

export interface Ownership {
  lock: HeldLock;
  server: Server;
  identity: DaemonIdentity;
  secret: Buffer;
  /** false once the endpoint's name no longer refers to our socket (sockfile: someone re-bound the path) */
  endpointStillOurs(): boolean;
}

// Closing a server bound to a socket file makes libuv unlink that path, whatever it refers to by then; so a
// fenced daemon asks first whether the path is still its own socket (same inode as when it listened).
function endpointOwnership(path: string, kind: DaemonConfig['endpoint']['kind']): () => boolean {
  if (kind !== 'sockfile') return () => true;
  const ino = lstatSync(path, { bigint: true }).ino;
  return () => {
    try {
      return lstatSync(path, { bigint: true }).ino === ino;
    } catch {
      return false;
    }
  };
}

/** The daemon's secret: created by the first owner, and replaced (the bad one moved aside) only by an owner. */
function ownerSecret(path: string): Buffer {
  try {
    return readSecret(path) ?? ensureSecret(path);
  } catch (err) {
    if (isFbuildError(err, 'SECRET_CORRUPT')) return replaceCorruptSecret(path);
    throw err;
  }
}

export async function claimOwnership(config: DaemonConfig, server: Server = createServer()): Promise<Ownership> {
  ensureStateDir(config.stateDir);
  // an owner in another PID namespace can only be proved gone by a connect (asynchronous), done first
  await judgeUnverifiableOwner(config, () => config.lock.inspect(config.files.owner, ownerLockOptions(config)));
  let attempt = config.lock.tryAcquire(config.files.owner, ownerLockOptions(config));
  if (!attempt.ok && skipOwnershipClaim()) {
    // the deliberately broken build (test hook): throw the owner's record away and take its place
    unlinkQuiet(config.files.owner);
    attempt = config.lock.tryAcquire(config.files.owner, ownerLockOptions(config));
  }
  if (!attempt.ok) {
    throw new FbuildError(
      'ALREADY_OWNED',
      `another daemon owns ${config.stateDir}: ${describeHeldBy(attempt.heldBy)} (my pid = ${process.pid})`,
      {
        heldBy: attempt.heldBy,
      },
    );
  }
  const lock = attempt.lock;
  try {
    const secret = ownerSecret(config.files.secret);
    await listenEndpoint(server, config.endpoint);
    const endpointStillOurs = endpointOwnership(config.endpoint.path, config.endpoint.kind);
    const me = ownIdentity();
    const identity: DaemonIdentity = {
      pid: me.pid,
      startTime: me.startTime,
      nonce: lock.record.nonce,
      version: lock.record.version,
      protocol: config.protocol,
      endpoint: config.endpoint.display,
      name: config.daemon.name,
    };
    return { lock, server, identity, secret, endpointStillOurs };
  } catch (err) {
    server.close();
    lock.release();
    throw err;
  }
}
