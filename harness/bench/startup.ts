// A cold start, phase by phase, from one reproduce round's event log: how long from the barrier release to
// the first client's spawn, fork/exec until the daemon process exists (its 'start' event carries Node's
// uptime), Node start-up + loading the daemon's modules, claiming ownership, listening (ready), and from
// ready until the last client was served. The phases add up to the slowest client's served time.
import type { RigEvent } from '../../src/events.js';
import type { RoundResult } from '../engine/results.js';

export interface StartupBreakdown {
  /** release → the first client's 'spawn' event (connect refused, spawn lock, re-check), or → Node's time origin in
   * the daemon when that came first (the child ran before the spawner's spawn() call returned and it logged) */
  toSpawnMs: number;
  /** the client's spawn() returned → Node's time origin in the daemon (fork + exec; 0 when the child ran first) */
  execMs: number;
  /** Node's time origin → the daemon's 'start' event (Node bootstrap + the daemon bundle's modules) */
  nodeAndModulesMs: number;
  /** 'start' → 'claimed' (state dir checks, owner lock, endpoint) */
  claimMs: number;
  /** 'claimed' → 'ready' (status file, self-check armed) */
  readyMs: number;
  /** 'ready' → the last client's 'ensure-end' (connect, handshake, and waiting clients noticing) */
  serveMs: number;
  totalMs: number;
}

const NONE: StartupBreakdown = {
  toSpawnMs: NaN,
  execMs: NaN,
  nodeAndModulesMs: NaN,
  claimMs: NaN,
  readyMs: NaN,
  serveMs: NaN,
  totalMs: NaN,
};

export function startupBreakdown(round: RoundResult): StartupBreakdown {
  return startupPhases(round.events, round.barrierAt ?? round.workers.map((w) => w.releasedAt).sort()[0]);
}

/** The phases from an event log (sorted by mono) and the release instant (mono ns). */
export function startupPhases(ev: RigEvent[], origin: string | undefined): StartupBreakdown {
  const ms = (a: string | bigint, b: string | bigint): number => Number(BigInt(b) - BigInt(a)) / 1e6;
  const spawn = ev.find((e) => e.role === 'client' && e.ev === 'spawn');
  const start = ev.find((e) => e.role === 'daemon' && e.ev === 'start');
  if (!origin || !spawn || !start) return NONE;
  const claimed = ev.find((e) => e.role === 'daemon' && e.ev === 'claimed' && e.pid === start.pid);
  const ready = ev.find((e) => e.role === 'daemon' && e.ev === 'ready' && e.pid === start.pid);
  const ends = ev.filter((e) => e.role === 'client' && e.ev === 'ensure-end');
  if (!claimed || !ready || ends.length === 0) return NONE;
  const last = ends.reduce((a, e) => (BigInt(e.mono) > BigInt(a.mono) ? e : a));
  const uptime = typeof start.uptimeMs === 'number' ? start.uptimeMs : NaN;
  // The client logs 'spawn' once spawn() has returned; on a busy machine the child may be running by then — even
  // past its own 'start' — so the daemon's time origin can come first. Then the spawn phase ends there (the fork
  // was no later), fork+exec is 0, and Node's start-up runs from that origin: never a negative phase.
  const exec = Math.max(0, ms(spawn.mono, start.mono) - uptime);
  return {
    toSpawnMs: ms(origin, start.mono) - exec - uptime,
    execMs: exec,
    nodeAndModulesMs: uptime,
    claimMs: ms(start.mono, claimed.mono),
    readyMs: ms(claimed.mono, ready.mono),
    serveMs: ms(ready.mono, last.mono),
    totalMs: ms(origin, last.mono),
  };
}
