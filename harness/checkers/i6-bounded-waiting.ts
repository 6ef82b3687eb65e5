// I6 bounded waiting: every client call returns within its deadline, with a result or a coded error. A call
// that took longer than its deadline plus a grace (scheduling, process exit) names the worker and what it
// was doing; a failure without a stable code is a violation too — users and scripts match on codes.
import type { Violation } from '../engine/results.js';
import type { CheckInput } from './types.js';

/** slack over the deadline before a slow return is a violation: a loaded 2-core machine delays timers */
export const DEADLINE_GRACE_MS = 2_000;

/** codes that say "something was not coded": a rig or product bug, not an answer */
const UNCODED = new Set(['UNEXPECTED', 'WORKER_ERROR', 'ERROR']);

export function checkI6(input: CheckInput): Violation[] {
  if (input.deadlineMs === null) return [];
  const limit = input.deadlineMs + DEADLINE_GRACE_MS;
  const out: Violation[] = [];
  for (const w of input.workers) {
    if (w.durationMs > limit) {
      // what it was doing: its last event in the round's log
      const last = input.events.filter((e) => e.pid === w.pid).at(-1);
      const doing = last
        ? `; its last event was '${last.ev}'${typeof last.lock === 'string' ? ` (${last.lock} lock)` : ''}`
        : '; it logged no event';
      const end =
        w.hung === true
          ? 'the rig killed it, still waiting'
          : w.ok
            ? 'it then succeeded'
            : `it then failed with ${w.error?.code}`;
      out.push({
        invariant: 'I6',
        message: `worker ${w.worker} (pid ${w.pid}) waited ${Math.round(w.durationMs)} ms for its client call, past its ${input.deadlineMs} ms deadline (+${DEADLINE_GRACE_MS} ms grace)${doing}; ${end}.`,
        evidence: {
          worker: w.worker,
          pid: w.pid,
          durationMs: w.durationMs,
          deadlineMs: input.deadlineMs,
          ok: w.ok,
          error: w.error,
          lastEvent: last ?? null,
          hung: w.hung === true,
        },
      });
    }
    // a target's client the rig had to kill at its deadline (targets/strategy.ts): it never answered
    if (!w.ok && w.error?.code === 'CLIENT_HUNG' && w.durationMs <= limit) {
      out.push({
        invariant: 'I6',
        message: `worker ${w.worker} (pid ${w.pid}) never answered: ${w.error.message.split('\n')[0]}`,
        evidence: { worker: w.worker, pid: w.pid, durationMs: w.durationMs, deadlineMs: input.deadlineMs, hung: true },
      });
    }
    if (!w.ok && (w.error === null || UNCODED.has(w.error.code))) {
      out.push({
        invariant: 'I6',
        message: `worker ${w.worker} (pid ${w.pid}) failed without a stable error code (${w.error?.code ?? 'none'}): ${w.error?.message.split('\n')[0] ?? ''}`,
        evidence: { worker: w.worker, pid: w.pid, error: w.error },
      });
    }
  }
  return out;
}
