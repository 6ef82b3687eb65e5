// Identity fallback where a process's start time cannot be read (Windows without CIM, Wine — DESIGN §9):
// a recorded daemon pid that is alive but whose endpoint is absent, long after it claimed ownership, is some
// other process that reused the pid. Young records are left alone: a daemon claims ownership a moment
// before its endpoint exists. Synchronous by necessity (the lock's staleness test is), so it checks that
// the endpoint's name exists rather than connecting to it; on Linux the start time is always readable and
// this is never consulted.
import { statSync } from 'node:fs';
import type { OwnerRecord } from '../../lock/index.js';
import type { Endpoint } from './endpoint.js';

/** how long a daemon may hold ownership before its endpoint must exist */
export const ENDPOINT_GRACE_MS = 15_000;

export function ownerProbe(endpoint: Endpoint): (record: OwnerRecord) => 'alive' | 'dead' {
  return (record) => {
    const age = Date.now() - Date.parse(record.createdAt);
    if (!(age > ENDPOINT_GRACE_MS)) return 'alive';
    if (endpoint.kind === 'abstract') return 'alive'; // no file to look at; Linux never needs this path
    try {
      statSync(endpoint.path); // a named pipe or socket file that exists
      return 'alive';
    } catch {
      return 'dead';
    }
  };
}
