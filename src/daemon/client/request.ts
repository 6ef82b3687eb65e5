// requestDaemon(): one request as a user's command makes it — make sure the daemon runs, and send the request on
// the connection that found it (ensureConnected: one connect and one handshake per request), and answer. When the daemon goes away under the request (another client's `stop`, a restart, a version
// upgrade, a crash), the request is sent again to the next daemon, but only when that is safe: it carries an
// idempotency key (the daemon's store runs its work at most once, I4) or the caller says it is read-only.
import { randomUUID } from 'node:crypto';
import { nowMs } from '../../clock.js';
import { FbuildError, isFbuildError } from '../../errors.js';
import type { DaemonDefinition } from '../shared/definition.js';
import type { DaemonIdentity } from '../shared/protocol/messages.js';
import type { EventFor, ParamsFor, ResultFor } from '../shared/protocol/requests.js';
import { clientContext } from './context.js';
import { ensureConnected } from './ensure.js';

export interface RequestDaemonOptions<Event = unknown> {
  stateDir?: string;
  /** which program is the daemon: `{ name, command }`; default fbuild's own */
  daemon?: DaemonDefinition;
  /** the whole call, start-up included; default 15 s */
  deadlineMs?: number;
  env?: NodeJS.ProcessEnv;
  /** makes the request safe to send again after the daemon went away */
  idempotencyKey?: string;
  /** the request changes nothing (status, ping): safe to send again without a key */
  readOnly?: boolean;
  /**
   * the work may run twice without harm (install: content-addressed). When a daemon died in the middle of it
   * (REQUEST_OUTCOME_UNKNOWN), it is sent once more under a fresh key instead of failing.
   */
  repeatSafe?: boolean;
  onEvent?: (data: Event) => void;
}

export interface RequestDaemonResult<Result = unknown> {
  result: Result;
  /** the daemon that answered */
  identity: DaemonIdentity;
  /** did this call spawn the daemon that answered (or one before it) */
  spawned: boolean;
}

/** how many daemons one request may meet going away before the call gives up */
const MAX_ATTEMPTS = 4;

/** The daemon went away between our connect and its answer: stopping, replaced, fenced or crashed. */
function wentAway(err: unknown): boolean {
  return (
    isFbuildError(err, 'CONNECTION_CLOSED') ||
    isFbuildError(err, 'SHUTTING_DOWN') ||
    isFbuildError(err, 'OWNERSHIP_LOST')
  );
}

/** Params, events and result are typed by the request map (shared/protocol/requests.ts) for the kit's requests. */
export async function requestDaemon<T extends string>(
  type: T,
  params: ParamsFor<T>,
  opts: RequestDaemonOptions<EventFor<T>> = {},
): Promise<RequestDaemonResult<ResultFor<T>>> {
  const ctx = clientContext(opts, 15_000);
  const retrySafe = opts.idempotencyKey !== undefined || opts.readOnly === true;
  let key = opts.idempotencyKey;
  let spawned = false;
  let last: unknown = null;
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    const left = ctx.deadline - nowMs();
    if (left <= 0) break;
    // the connection ensure reached the daemon on, authenticated: the request goes on it (one connect, one handshake)
    const { conn, spawned: started } = await ensureConnected({
      stateDir: ctx.config.stateDir,
      daemon: ctx.config.daemon,
      env: ctx.env,
      deadlineMs: left,
    });
    spawned ||= started;
    if (conn.closed) continue; // gone between its handshake and our request: nothing was sent yet
    try {
      const result = await conn.request(type, params, {
        deadline: ctx.deadline,
        idempotencyKey: key,
        onEvent: opts.onEvent,
      });
      return { result, identity: conn.identity, spawned };
    } catch (err) {
      if (key !== undefined && opts.repeatSafe === true && isFbuildError(err, 'REQUEST_OUTCOME_UNKNOWN')) {
        key = `${opts.idempotencyKey}~${randomUUID()}`;
        last = err;
        continue;
      }
      if (!wentAway(err) || !retrySafe) throw err;
      last = err;
    } finally {
      conn.close();
    }
  }
  throw new FbuildError(
    'DEADLINE',
    `request '${type}' found no daemon that stayed to answer it within ${ctx.timeoutMs} ms${last ? ` (last: ${(last as Error).message})` : ''}`,
    {
      type,
      timeoutMs: ctx.timeoutMs,
    },
  );
}
