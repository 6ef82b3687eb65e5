// The rig's one way to end a round's daemons: find every process that carries the signature, then SIGKILL
// each by pid (after an optional grace to exit on its own). Only processes that carry the signature are
// touched: a pid from a record alone may have been reused by something that is not ours.
import { killAndWait } from '../engine/kill.js';
import type { DaemonSignature } from '../engine/strategy.js';
import { findDaemons } from './index.js';
import type { ProcessScanner } from './types.js';

export interface KillDaemonsOptions {
  /** let each daemon exit on its own this long before SIGKILL (default 0) */
  graceMs?: number;
  /** which scanners find them (default: every scanner the end-of-round census uses) */
  scanners?: ProcessScanner[];
}

/** Kills every daemon matching `sig`; returns the pids found. */
export async function killDaemons(sig: DaemonSignature, o: KillDaemonsOptions = {}): Promise<number[]> {
  const found = (await findDaemons(sig, o.scanners)).map((p) => p.pid);
  await Promise.all(found.map((pid) => killAndWait(pid, o.graceMs ?? 0)));
  return found;
}
