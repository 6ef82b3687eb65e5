// A client the fault starts itself, outside the rig's workers: in another PID namespace, under a faked
// clock, or arriving late: harness/programs/ensure-client.ts, which prints one JSON line with its outcome; with
// `stay` it then keeps running until killed (pid 1 of a namespace must outlive the daemon it started). Tracked, so it is killed by pid when the run ends.
import { type ChildProcess, spawn } from 'node:child_process';
import { entryPath } from '../../../src/paths.js';
import { firstLine } from '../../engine/lines.js';
import type { FaultContext } from '../types.js';

export interface OutsideOutcome {
  ok: boolean;
  nonce?: string;
  pid?: number;
  code?: string;
  message?: string;
}

export interface OutsideClient {
  child: ChildProcess;
  /** resolves with the printed outcome, or null when the process ended without one */
  outcome: Promise<OutsideOutcome | null>;
}

export function startOutsideClient(
  fault: FaultContext,
  opts: { deadlineMs: number; env?: Record<string, string>; wrap?: string[]; stay?: boolean },
): OutsideClient {
  const program = [
    entryPath('harness/programs/ensure-client'),
    fault.ctx.stateDir,
    String(opts.deadlineMs),
    fault.ctx.daemon,
  ];
  const [cmd, ...args] = [...(opts.wrap ?? []), process.execPath, ...program, ...(opts.stay ? ['--stay'] : [])];
  const child = spawn(cmd!, args, {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, ...opts.env, FBUILD_EVENT_LOG: fault.ctx.eventLog },
  });
  fault.track(child);
  const outcome = firstLine(child.stdout!).then((line) => {
    try {
      return JSON.parse(line ?? '') as OutsideOutcome;
    } catch {
      return null;
    }
  });
  return { child, outcome };
}
