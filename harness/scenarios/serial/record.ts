// What results.json records of a serial round (RoundResult.serial): the deploys' outcomes, the monitors'
// streaming, the peak of pty holders, how soon monitors resumed after each deploy, the transfer rate, and the
// timeline the report draws.
import type { RigEvent } from '../../../src/events.js';
import type { DeployReply } from '../../../src/index.js';
import { jsonOutput } from '../../engine/client-process.js';
import type { SerialRound } from '../../engine/results.js';
import { timelineOf } from './timeline.js';
import type { Session } from './types.js';

export function serialRound(s: Session, events: readonly RigEvent[]): SerialRound {
  const ok = s.codes.filter((c) => c === 0).length;
  return {
    port: s.port,
    deploys: { ok, failed: s.codes.length - ok, errors: deployErrors(s) },
    monitors: { clients: s.monitors.length, streamedBefore: s.streamedBefore, streamedAfter: s.streamedAfter },
    holderPeak: Math.max(0, ...s.samples.map((x) => x.pids.length)),
    resumeMs: s.load.hardened ? resumeMs(s, events) : [],
    throughputBps: s.load.hardened ? throughputBps(s) : [],
    timeline: timelineOf(s.port, events, s.samples),
  };
}

/** Each deploy that did not succeed, with the code it named (`--json`; the naive ones have none). */
export function deployErrors(s: Session): string[] {
  return s.deploys.flatMap((d, i) => {
    const code = s.codes[i];
    if (code === 0) return [];
    const error = jsonOutput(d)?.error as { code?: unknown } | undefined;
    const named = typeof error?.code === 'string' ? ` [${error.code}]` : '';
    return [`deploy pid ${d.child.pid}: ${code === 'hung' ? 'hung' : `exit ${code}`}${named}`];
  });
}

/** per monitor and device-completed deploy: ms from the device's DONE to the monitor's next line */
function resumeMs(s: Session, events: readonly RigEvent[]): number[] {
  const done = events.filter((e) => e.ev === 'device-deploy-done');
  return done
    .flatMap((d) => s.monitors.map((m) => (m.lines.find((l) => l.wall > d.wall)?.wall ?? Number.NaN) - d.wall))
    .filter(Number.isFinite);
}

/** built-in deploys: bytes per second of the transfer itself, from each deploy's `--json` result */
function throughputBps(s: Session): number[] {
  return s.deploys.flatMap((d) => {
    const r = jsonOutput(d)?.deploy as Partial<DeployReply> | undefined;
    if (typeof r?.bytes !== 'number' || typeof r.writeMs !== 'number') return [];
    return [Math.round((r.bytes * 1000) / Math.max(1, r.writeMs))];
  });
}
