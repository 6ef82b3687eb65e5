// Replacing a daemon of an older protocol version (ensure.ts, under the spawn lock): ask it to shut down, then wait
// until its process has gone. A newer daemon is never replaced (ensure.ts says why).
import { isFbuildError } from '../../errors.js';
import { type Backoff, pollUntil } from '../../poll.js';
import { checkIdentity } from '../../process/index.js';
import type { ClientConnection } from './connection.js';
import type { Ctx } from './context.js';
import { deadlineError } from './probe.js';

/** waiting for a replaced daemon to exit */
const EXIT_WAIT: Backoff = { firstMs: 2, factor: 1.5, maxMs: 25, jitter: false };

/** A daemon of another protocol version: ask it to stop, wait until it has let go. Done once, under the spawn lock. */
export async function replaceOld(ctx: Ctx, conn: ClientConnection): Promise<void> {
  const old = conn.identity;
  try {
    await conn.request(
      'shutdown',
      { by: `client pid ${process.pid} (protocol ${ctx.config.protocol})` },
      { deadline: ctx.deadline },
    );
  } catch (err) {
    // someone else (a `stop`) is already shutting it down: wait for it to go like for our own request
    if (!isFbuildError(err, 'CONNECTION_CLOSED') && !isFbuildError(err, 'SHUTTING_DOWN')) throw err;
  } finally {
    conn.close();
  }
  const exited = await pollUntil(
    () => (checkIdentity({ pid: old.pid, startTime: old.startTime }).status === 'alive' ? undefined : true),
    { backoff: EXIT_WAIT, deadline: ctx.deadline },
  );
  if (!exited)
    throw deadlineError(
      ctx.config,
      ctx.timeoutMs,
      `old daemon pid ${old.pid} (protocol ${old.protocol}) did not exit after shutdown`,
    );
}
