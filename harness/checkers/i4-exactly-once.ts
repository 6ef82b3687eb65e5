// I4 exactly-once work: every request id is executed at most once, every idempotency key (per request type)
// at most once — across daemons, so a crash and a client retry with the same key must not run the work again
// — and every request a client saw acknowledged was executed exactly once (by key when it had one, else by
// id). From the event history: daemons log 'request-exec' when a handler really runs (a replay from the
// idempotency store logs none), clients log 'request-acked' for each ok answer.
import type { RigEvent } from '../../src/events.js';
import type { Violation } from '../engine/results.js';
import type { CheckInput } from './types.js';

const str = (v: unknown): string | null => (typeof v === 'string' && v.length > 0 ? v : null);
const keyOf = (event: RigEvent): string | null => {
  const key = str(event.key);
  return key === null ? null : `${String(event.type)}:${key}`;
};

export function checkI4(input: Pick<CheckInput, 'events'>): Violation[] {
  const byId = new Map<string, RigEvent[]>();
  const byKey = new Map<string, RigEvent[]>();
  for (const e of input.events) {
    if (e.role !== 'daemon' || e.ev !== 'request-exec') continue;
    const id = str(e.id);
    if (id !== null) byId.set(id, [...(byId.get(id) ?? []), e]);
    const key = keyOf(e);
    if (key !== null) byKey.set(key, [...(byKey.get(key) ?? []), e]);
  }
  const out: Violation[] = [];
  const where = (es: RigEvent[]) => es.map((e) => ({ daemonPid: e.pid, nonce: e.nonce ?? null, mono: e.mono }));
  for (const [id, es] of byId) {
    if (es.length > 1)
      out.push({
        invariant: 'I4',
        message: `request ${id} was executed ${es.length} times; at most once is allowed.`,
        evidence: { id, executions: where(es) },
      });
  }
  for (const [key, es] of byKey) {
    if (es.length > 1) {
      out.push({
        invariant: 'I4',
        message: `the work of idempotency key ${key} was executed ${es.length} times (by ${new Set(es.map((e) => e.pid)).size} daemon process(es)); at most once is allowed.`,
        evidence: { key, executions: where(es) },
      });
    }
  }
  for (const e of input.events) {
    if (e.role !== 'client' || e.ev !== 'request-acked') continue;
    const key = keyOf(e);
    const id = str(e.id);
    const done = key !== null ? (byKey.get(key)?.length ?? 0) : id !== null ? (byId.get(id)?.length ?? 0) : 1;
    if (done === 0) {
      out.push({
        invariant: 'I4',
        message: `client pid ${e.pid} was told request ${id ?? '?'}${key ? ` (key ${key})` : ''} succeeded, but no daemon executed it.`,
        evidence: { clientPid: e.pid, id, key, mono: e.mono },
      });
    }
  }
  return out;
}
