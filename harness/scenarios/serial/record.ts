// What results.json records of a serial round (RoundResult.serial): the deploys' outcomes, the monitors'
// streaming, the peak of pty holders, how soon monitors resumed after each deploy, the transfer rate, and the
// timeline the report draws.
import type { RigEvent } from '../../../src/events.js';
import type { DeployReply } from '../../../src/index.js';
import { jsonOutput } from '../../engine/client-process.js';
import type { SerialRound } from '../../engine/results.js';
import { timelineOf } from './timeline.js';
import type { Session } from './types.js';

export function serialRound(session: Session, events: readonly RigEvent[]): SerialRound {
  const ok = session.codes.filter((c) => c === 0).length;
  return {
    port: session.port,
    deploys: { ok, failed: session.codes.length - ok, errors: deployErrors(session) },
    monitors: {
      clients: session.monitors.length,
      streamedBefore: session.streamedBefore,
      streamedAfter: session.streamedAfter,
    },
    holderPeak: Math.max(0, ...session.samples.map((x) => x.pids.length)),
    resumeMs: session.load.hardened ? resumeMs(session, events) : [],
    throughputBps: session.load.hardened ? throughputBps(session) : [],
    timeline: timelineOf(session.port, events, session.samples),
  };
}

/** Each deploy that did not succeed, with the code it named (`--json`; the naive ones have none). */
export function deployErrors(session: Session): string[] {
  return session.deploys.flatMap((deploy, index) => {
    const code = session.codes[index];
    if (code === 0) return [];
    const error = jsonOutput(deploy)?.error as { code?: unknown } | undefined;
    const named = typeof error?.code === 'string' ? ` [${error.code}]` : '';
    return [`deploy pid ${deploy.child.pid}: ${code === 'hung' ? 'hung' : `exit ${code}`}${named}`];
  });
}

/** per monitor and device-completed deploy: ms from the device's DONE to the monitor's next line */
function resumeMs(session: Session, events: readonly RigEvent[]): number[] {
  const done = events.filter((e) => e.ev === 'device-deploy-done');
  return done
    .flatMap((deployDone) =>
      session.monitors.map((monitor) => {
        const after = BigInt(deployDone.mono);
        const next = monitor.lines.find((l) => l.mono > after);
        return next === undefined ? Number.NaN : Number(next.mono - after) / 1e6;
      }),
    )
    .filter(Number.isFinite);
}

/** built-in deploys: bytes per second of the transfer itself, from each deploy's `--json` result */
function throughputBps(session: Session): number[] {
  return session.deploys.flatMap((deploy) => {
    const r = jsonOutput(deploy)?.deploy as Partial<DeployReply> | undefined;
    if (typeof r?.bytes !== 'number' || typeof r.writeMs !== 'number') return [];
    return [Math.round((r.bytes * 1000) / Math.max(1, r.writeMs))];
  });
}
