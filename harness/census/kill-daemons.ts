// The rig's one way to end a round's daemons: find every process that carries the signature, then SIGKILL
// each by pid (after an optional grace to exit on its own). Only processes that carry the signature are
// touched: a pid from a record alone may have been reused by something that is not ours.
import { isAlive, listing } from '../../src/process/index.js';
import { killAndWait } from '../engine/kill.js';
import type { DaemonSignature } from '../engine/strategy.js';
import { findDaemons } from './index.js';

export interface KillDaemonsOptions {
  /** let each daemon exit on its own this long before SIGKILL (default 0) */
  graceMs?: number;
}

/** Kills every daemon matching `sig`; returns the pids found. */
export async function killDaemons(sig: DaemonSignature, opts: KillDaemonsOptions = {}): Promise<number[]> {
  const found = (await findDaemons(sig)).map((p) => p.pid);
  await killAndWait(found, opts.graceMs ?? 0);
  return found;
}

/**
 * Where the listing may show no command lines (Windows: CIM may not answer, and never does under Wine), the
 * signature never matches, so killDaemons finds nothing: a daemon that neither `fbuild daemon stop` nor its own
 * exit ended — a duplicate of the broken build, one still starting — would outlive the round. There the round's
 * own pids are killed by pid: `pids`, what its event log names (the children its clients spawned, the daemons
 * that logged), processes its clients started. Elsewhere the signature scan already found them all; returns the
 * pids killed.
 */
export async function killUnseenDaemons(pids: readonly number[]): Promise<number[]> {
  if (listing.seesCommandLines) return [];
  const alive = pids.filter((pid) => pid !== process.pid && isAlive(pid));
  await killAndWait(alive, 0);
  return alive;
}
