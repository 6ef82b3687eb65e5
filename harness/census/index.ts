// The census of one round: which daemon processes exist for the round's state directory. Processes come from
// the kit's one listing (src/process: /proc on Linux, cheap enough to sample every ~20 ms; `ps` or CIM elsewhere),
// matched by the round's signature (match.ts). Owner records and the event log add daemons the listing cannot see
// (no command line on Windows, or a daemon that lived between two samples).

import { monoNs } from '../../src/clock.js';
import type { RigEvent } from '../../src/events.js';
import {
  isAlive,
  listing,
  listProcesses,
  placeOf,
  processPlatform,
  readEnviron,
  readProcess,
} from '../../src/process/index.js';
import type { CensusEntry, CensusSummary } from '../engine/results.js';
import type { DaemonSignature, OwnerRecord } from '../engine/strategy.js';
import { carriesSignature, mayCarry } from './match.js';
import type { CensusSource, FoundProcess } from './types.js';

/** A process's environment; where /proc is read, an unreadable one (another user's process) matches nothing. */
function environOf(pid: number): Map<string, string> | null {
  return readEnviron(pid) ?? (processPlatform.procfs ? new Map() : null);
}

/**
 * Processes that carry the signature right now. A child that carries its parent's very command line is the parent
 * between fork and exec (a daemon starting a helper: between the two calls /proc shows the child with the parent's
 * argv and executable), not a second daemon: it is left out while its parent is there.
 */
export async function findDaemons(sig: DaemonSignature): Promise<FoundProcess[]> {
  const candidates = await listProcesses((argv) => mayCarry(sig, argv));
  const matched = candidates.filter((p) => carriesSignature(sig, p, () => environOf(p.pid)));
  const cmdOf = new Map(matched.map((p) => [p.pid, p.argv.join('\0')]));
  return matched
    .filter((p) => p.ppid === null || cmdOf.get(p.ppid) !== p.argv.join('\0'))
    .map((p) => ({ pid: p.pid, cmd: p.argv.join(' ').slice(0, 400), startTime: p.startTime }));
}

export class RoundCensus {
  private readonly entries = new Map<number, CensusEntry>();
  private samples = 0;
  private peak = 0;

  constructor(
    private readonly sig: DaemonSignature,
    private readonly readOwner: () => OwnerRecord | null,
  ) {}

  private note(
    pid: number,
    cmd: string,
    startTime: string | null,
    source: CensusSource,
    at: string | null,
  ): CensusEntry {
    let e = this.entries.get(pid);
    if (!e) {
      e = { pid, startTime, cmd, sources: [], firstSeen: at, lastSeen: at, aliveAtEnd: false };
      this.entries.set(pid, e);
    }
    if (!e.sources.includes(source)) e.sources.push(source);
    e.startTime ??= startTime;
    if (!e.cmd) e.cmd = cmd;
    if (at !== null) {
      if (e.firstSeen === null || BigInt(at) < BigInt(e.firstSeen)) e.firstSeen = at;
      if (e.lastSeen === null || BigInt(at) > BigInt(e.lastSeen)) e.lastSeen = at;
    }
    return e;
  }

  /**
   * The owner record's pid counts as a daemon when it is alive, (where readable) its start time matches, and
   * (where readable) its command line carries the signature: a record may name an unrelated process (a reused
   * pid, a forged record), and that process is not a daemon — nor ours to wait for or kill.
   */
  private async ownerPid(): Promise<{ pid: number; startTime: string | null } | null> {
    const rec = this.readOwner();
    if (rec === null || !isAlive(rec.pid) || rec.pid === process.pid) return null;
    // a record written in another PID namespace (or on another machine) names a pid there: here that number is
    // some other process, often one we cannot read (a kernel thread); the daemon itself is in the listing
    if (rec.place && placeOf(rec.place) !== 'here') return null;
    const seen = await readProcess(rec.pid); // null: not readable from here (or gone since)
    if (seen !== null && !carriesSignature(this.sig, seen, () => environOf(rec.pid))) return null;
    const actual = seen?.startTime ?? null;
    if (rec.startTime !== null && actual !== null && rec.startTime !== actual) return null; // pid reused
    return { pid: rec.pid, startTime: actual ?? rec.startTime };
  }

  private async record(final: boolean): Promise<number> {
    const found = await findDaemons(this.sig);
    const at = monoNs().toString();
    const alive = new Set<number>();
    for (const p of found) {
      this.note(p.pid, p.cmd, p.startTime, listing.source, at);
      alive.add(p.pid);
    }
    const owner = await this.ownerPid();
    if (owner !== null) {
      this.note(owner.pid, '', owner.startTime, 'owner-record', at);
      alive.add(owner.pid);
    }
    if (final) for (const pid of alive) this.entries.get(pid)!.aliveAtEnd = true;
    this.samples++;
    this.peak = Math.max(this.peak, alive.size);
    return alive.size;
  }

  /** One sample during the round. */
  sample(): Promise<number> {
    return this.record(false);
  }

  /** The end-of-round census (before the rig stops anything): the listing plus the owner record. */
  async final(): Promise<number[]> {
    await this.record(true);
    return [...this.entries.values()].filter((e) => e.aliveAtEnd).map((e) => e.pid);
  }

  /** Daemons known only from the event log (lived and died between samples) still count. */
  addFromEvents(events: readonly RigEvent[]): void {
    for (const ev of events) {
      if (ev.role !== 'daemon') continue;
      const e = this.entries.get(ev.pid) ?? this.note(ev.pid, '', null, 'event-log', null);
      if (!e.sources.includes('event-log')) e.sources.push('event-log');
      if (ev.ev === 'start' && (e.firstSeen === null || BigInt(ev.mono) < BigInt(e.firstSeen))) e.firstSeen = ev.mono;
      if (ev.ev === 'exit' && (e.lastSeen === null || BigInt(ev.mono) > BigInt(e.lastSeen))) e.lastSeen = ev.mono;
    }
  }

  summary(leftAfterStop: number[]): CensusSummary {
    const daemons = [...this.entries.values()].sort((a, b) => a.pid - b.pid);
    return { samples: this.samples, peakConcurrent: this.peak, daemons, leftAfterStop };
  }
}
