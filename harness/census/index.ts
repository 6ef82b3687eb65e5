// The census of one round: which daemon processes exist for the round's state directory. The platform
// choice lives here and only here: Linux samples /proc (cheap, every ~20 ms) and cross-checks with ps-list
// at the end; elsewhere ps-list does both jobs. Owner records and the event log add daemons the scans
// cannot see (no command line on Windows, or a daemon that lived between two samples).

import { monoNs } from '../../src/clock.js';
import type { RigEvent } from '../../src/events.js';
import { isAlive } from '../../src/lock/identity/liveness.js';
import { readCmdline } from '../../src/lock/identity/proc-cmdline.js';
import type { CensusEntry, CensusSummary } from '../engine/results.js';
import type { DaemonSignature, OwnerRecord } from '../engine/strategy.js';
import { matchesSignature } from './parse.js';
import { procEnviron, procScanner, procStartTime } from './proc.js';
import { psListScanner as psListScannerWith } from './pslist.js';
import type { CensusSource, FoundProcess, ProcessScanner } from './types.js';

const onLinux = process.platform === 'linux';
const psListScanner = psListScannerWith(onLinux ? procEnviron : () => null);
/** fast scanner for sampling during the round */
export const sampleScanner: ProcessScanner = onLinux ? procScanner : psListScanner;
/** every scanner the end-of-round census consults */
export const fullScanners: ProcessScanner[] = onLinux ? [procScanner, psListScanner] : [psListScanner];

/** Processes that match the signature right now, from every scanner, deduplicated by pid. */
export async function findDaemons(
  sig: DaemonSignature,
  scanners: ProcessScanner[] = fullScanners,
): Promise<Array<FoundProcess & { sources: CensusSource[] }>> {
  const byPid = new Map<number, FoundProcess & { sources: CensusSource[] }>();
  for (const scanner of scanners) {
    for (const p of await scanner.scan(sig)) {
      const have = byPid.get(p.pid);
      if (have) {
        if (!have.sources.includes(scanner.source)) have.sources.push(scanner.source);
        have.startTime ??= p.startTime;
      } else {
        byPid.set(p.pid, { ...p, sources: [scanner.source] });
      }
    }
  }
  return [...byPid.values()];
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
  private ownerPid(): { pid: number; startTime: string | null } | null {
    const rec = this.readOwner();
    if (rec === null || !isAlive(rec.pid) || rec.pid === process.pid) return null;
    const argv = readCmdline(rec.pid);
    if (argv !== null && argv.length > 0 && !matchesSignature(this.sig, argv, () => procEnviron(rec.pid))) return null;
    const actual = procStartTime(rec.pid);
    if (rec.startTime !== null && actual !== null && rec.startTime !== actual) return null; // pid reused
    return { pid: rec.pid, startTime: actual ?? rec.startTime };
  }

  private record(
    found: Array<FoundProcess & { sources?: CensusSource[] }>,
    source: CensusSource,
    final: boolean,
  ): number {
    const at = monoNs().toString();
    const alive = new Set<number>();
    for (const p of found) {
      for (const s of p.sources ?? [source]) this.note(p.pid, p.cmd, p.startTime, s, at);
      alive.add(p.pid);
    }
    const owner = this.ownerPid();
    if (owner !== null) {
      this.note(owner.pid, '', owner.startTime, 'owner-record', at);
      alive.add(owner.pid);
    }
    if (final) for (const pid of alive) this.entries.get(pid)!.aliveAtEnd = true;
    this.samples++;
    this.peak = Math.max(this.peak, alive.size);
    return alive.size;
  }

  /** One cheap sample during the round. */
  async sample(): Promise<number> {
    return this.record(await sampleScanner.scan(this.sig), sampleScanner.source, false);
  }

  /** The end-of-round census (before the rig stops anything): every scanner plus the owner record. */
  async final(): Promise<number[]> {
    const found = await findDaemons(this.sig);
    this.record(found, 'ps-list', true);
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
