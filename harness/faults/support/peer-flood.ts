// Driving harness/programs/peer-flood.ts from a fault: it holds connections that never handshake, then resets
// refused ones by the thousand; this side waits for its reports (one JSON object a line) and ends it.
import { spawn } from 'node:child_process';
import { entryPath } from '../../../src/paths.js';
import { eachLine } from '../../engine/lines.js';
import type { PeerFloodSummary } from '../../programs/peer-flood.js';
import type { FaultContext } from '../types.js';
import { asOtherUser } from './privileges.js';

export interface PeerFlood {
  who: string;
  /** every held connection has connected once (false: the flooder ended first, or not within the guard) */
  ready(guardMs: number): Promise<boolean>;
  /** the resets are all done (false as for ready) */
  resetsDone(guardMs: number): Promise<boolean>;
  /** ends the flood (its stdin); its summary, or null when it printed none within the guard */
  stop(guardMs: number): Promise<PeerFloodSummary | null>;
}

export function startPeerFlood(
  fault: FaultContext,
  opts: { address: string; hold: number; resets: number; otherUser: boolean },
): PeerFlood {
  const argv = [
    process.execPath,
    entryPath('harness/programs/peer-flood'),
    opts.address,
    `${opts.hold}`,
    `${opts.resets}`,
  ];
  const [cmd, ...args] = opts.otherUser ? asOtherUser(argv) : argv;
  const child = spawn(cmd!, args, { stdio: ['pipe', 'pipe', 'inherit'] });
  fault.track(child);
  const who = `the flood of ${opts.otherUser ? 'uid 65534' : 'this uid'}`;
  fault.note(`${who}: ${opts.hold} connections held without a handshake, ${opts.resets} refused ones reset`, {
    flooder: child.pid,
  });
  const reports = new Map<string, unknown>();
  const waiting = new Map<string, (value: unknown) => void>();
  eachLine(child.stdout!, (line) => {
    try {
      for (const [key, value] of Object.entries(JSON.parse(line) as Record<string, unknown>)) {
        reports.set(key, value);
        waiting.get(key)?.(value);
      }
    } catch {
      // not a report: ignored
    }
  });
  const ended = new Promise<null>((resolve) => child.once('close', () => resolve(null)));
  const report = (key: string, guardMs: number): Promise<unknown> =>
    reports.has(key)
      ? Promise.resolve(reports.get(key))
      : Promise.race([
          new Promise((resolve) => waiting.set(key, resolve)),
          ended,
          new Promise<null>((resolve) => setTimeout(() => resolve(null), guardMs).unref()),
        ]);
  return {
    who,
    ready: async (guardMs) => (await report('ready', guardMs)) !== null,
    resetsDone: async (guardMs) => (await report('resets', guardMs)) !== null,
    async stop(guardMs) {
      child.stdin!.end();
      return (await report('summary', guardMs)) as PeerFloodSummary | null;
    },
  };
}
