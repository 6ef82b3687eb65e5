// A flood of peers the daemon has to refuse, which reset their connections as they go (issue 18, H1: a local
// program gone wrong, or another user on a shared machine): once the daemon is ready, a process of this user holds
// connections that never handshake (more than the daemon takes at once) and opens and at once destroys
// 2,000 more while the round's clients arrive; under FBUILD_OWNERSHIP=abstract, whose socket any local user can
// reach, uid 65534 does the same beside it. The daemon at e2931bd wrote its refusal with no error listener on the
// socket and died of the first EPIPE / ECONNRESET.
// Must hold: the daemon that claimed is the one alive and serving at the end (no `released`, no second spawn);
// every client is served or told TOO_MANY_CONNECTIONS by its deadline — never IMPOSTOR, DAEMON_NOT_RUNNING or
// DAEMON_UNRESPONSIVE; under abstract, `fbuild daemon status --json` counts the other user's refused connections
// (`status.refused.otherUser` > 0). Against hardened, under both mechanisms; root (setpriv) for the other uid.
import { CLI_EXIT, type DaemonIdentity, resolveConfig, type StatusReply } from '../../src/index.js';
import { entryPath } from '../../src/paths.js';
import { readEventLog } from '../engine/eventlog.js';
import type { Violation } from '../engine/results.js';
import type { RoundSeen } from '../engine/round/scenario.js';
import type { PeerFloodSummary } from '../programs/peer-flood.js';
import { type PeerFlood, startPeerFlood } from './support/peer-flood.js';
import { needsOtherUser } from './support/privileges.js';
import { type ProductDaemon, type ProductRun, runProduct, startProductDaemon } from './support/product.js';
import { waitForEvent } from './support/watch.js';
import type { FaultContext, FaultModule } from './types.js';

/** held past the daemon's connection cap (all of which may be in the handshake): the ones past it are refused */
const PAST_THE_CAP = 8;
const RESETS = 2_000;
/** hang guard of one CLI call, and of the flood's steps (2,000 connects: seconds even on a loaded machine) */
const CALL_GUARD_MS = 30_000;
const FLOOD_GUARD_MS = 120_000;
/** what a client may end with under the flood besides being served */
const BUSY = 'TOO_MANY_CONNECTIONS';

interface Seen {
  daemon: ProductDaemon | null;
  abstract: boolean;
  problem: string | null;
  /** pids that claimed / released ownership by the end of the flood (the rig's own stop comes later) */
  claimed: number[];
  released: number[];
  floods: Array<{ who: string; summary: PeerFloodSummary | null }>;
  status: ProductRun | null;
}

export const refusedPeerResets: FaultModule = {
  name: 'refused-peer-resets',
  models: 'peers the daemon must refuse (its handshake slots held by others) reset their connections by the thousand',
  holds:
    'the same daemon lives and serves; clients served or TOO_MANY_CONNECTIONS, never IMPOSTOR/NOT_RUNNING/UNRESPONSIVE; abstract: refused.otherUser > 0',
  expect: { hardened: 'single' },
  fbuildOnly: "it starts the daemon and stops it with fbuild's CLI",
  available: () => needsOtherUser(entryPath('harness/programs/peer-flood')),
  start(fault) {
    const seen: Seen = {
      ...{ daemon: null, abstract: false, problem: null },
      ...{ claimed: [], released: [], floods: [], status: null },
    };
    let holders: PeerFlood[] = [];
    return {
      async prepare() {
        holders = await startFloods(fault, seen);
      },
      async during() {
        if (seen.daemon !== null) await resetBesideClients(fault, seen, holders);
      },
      check: (round) => judge(seen, round),
    };
  },
};

/** The daemon, then the floods holding its slots, so the clients arrive at a daemon with none free. */
async function startFloods(fault: FaultContext, seen: Seen): Promise<PeerFlood[]> {
  const daemon = await startProductDaemon(fault, CALL_GUARD_MS);
  if (typeof daemon === 'string') {
    seen.problem = daemon;
    return [];
  }
  seen.daemon = daemon;
  const holders = floods(fault, seen, resolveConfig(process.env, fault.ctx.stateDir).maxConnections + PAST_THE_CAP, 0);
  for (const flood of holders)
    if (!(await flood.ready(FLOOD_GUARD_MS))) seen.problem = `${flood.who} never held its connections`;
  return holders;
}

/** One flood of this uid, and one of uid 65534 beside it where any uid can reach the socket (abstract). */
function floods(fault: FaultContext, seen: Seen, hold: number, resets: number): PeerFlood[] {
  const { endpoint } = resolveConfig(process.env, fault.ctx.stateDir);
  seen.abstract = endpoint.kind === 'abstract';
  const address = seen.abstract ? endpoint.display : endpoint.path;
  return [false, ...(seen.abstract ? [true] : [])].map((otherUser) =>
    startPeerFlood(fault, { address, hold, resets, otherUser }),
  );
}

/** Once the clients are released: the resets, beside them; then the floods end and the daemon is asked. */
async function resetBesideClients(fault: FaultContext, seen: Seen, holders: PeerFlood[]): Promise<void> {
  if ((await waitForEvent(fault.ctx.eventLog, (e) => e.ev === 'barrier', FLOOD_GUARD_MS)) === null)
    seen.problem = 'the clients were never released';
  const resetters = floods(fault, seen, 0, RESETS);
  for (const flood of resetters)
    if (!(await flood.resetsDone(FLOOD_GUARD_MS))) seen.problem = `${flood.who} never finished its resets`;
  fault.note('the resets are done');
  for (const flood of [...holders, ...resetters])
    seen.floods.push({ who: flood.who, summary: await flood.stop(FLOOD_GUARD_MS) });
  const events = readEventLog(fault.ctx.eventLog).events.filter((e) => e.role === 'daemon');
  seen.claimed = events.filter((e) => e.ev === 'claimed').map((e) => e.pid);
  seen.released = events.filter((e) => e.ev === 'released').map((e) => e.pid);
  // the held connections are closed: their slots come free as the daemon reads the closes
  seen.status = await runProduct(fault, ['daemon', 'status', '--json'], CALL_GUARD_MS);
}

function judge(seen: Seen, round: RoundSeen): Violation[] {
  const out: Violation[] = [];
  const v = (invariant: Violation['invariant'], message: string, evidence: Record<string, unknown> = {}) =>
    out.push({ invariant, message, evidence: { ...evidence, daemon: seen.daemon } });
  if (seen.problem) v('I6', `refused-peer-resets: ${seen.problem}`);
  const pid = seen.daemon?.pid;
  if (pid === undefined) return out;
  const others = seen.claimed.filter((p) => p !== pid);
  if (others.length > 0) v('I2', `under the flood daemon(s) ${others.join(', ')} claimed after ${pid}`, { others });
  if (seen.released.includes(pid)) v('I2', `daemon ${pid} released its ownership under the flood`);
  const st = seen.status;
  const d = st?.json?.daemon as Partial<DaemonIdentity> | undefined;
  if (st && (st.exit !== CLI_EXIT.ok || d?.pid !== pid || d?.nonce !== seen.daemon!.nonce))
    v('I2', `after the flood \`daemon status\` ended ${st.exit} [${st.code}] naming pid ${d?.pid}, not ${pid}`, {
      status: st.json,
    });
  for (const w of round.workers)
    if (!w.ok && w.killed === undefined && w.error?.code !== BUSY)
      v('I6', `a client under the flood got ${w.error?.code ?? 'no error code'}, not served or ${BUSY}`, {
        error: w.error,
      });
  const refused = (st?.json?.status as Partial<StatusReply> | undefined)?.refused;
  if (seen.abstract && st?.exit === CLI_EXIT.ok && !(Number(refused?.otherUser) > 0))
    v('I6', "under abstract the daemon's status counts no refused connection of the other user", { refused });
  return out;
}
