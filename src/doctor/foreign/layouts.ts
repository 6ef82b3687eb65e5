// Where the other fbuild releases keep their daemon state (DESIGN §10), read from fbuild's own history:
//  - Python 1.3.x: ~/.fbuild/daemon/ (fbuild_daemon.pid: a plain pid in 1.3.27, "pid,launcher_pid" from
//    1.3.28; daemon_status.json; fbuild_daemon.lock from 1.3.38); TCP 9876 (1.3.27) or HTTP 8765 (1.3.28+)
//  - Python 1.5.x and Rust 2.x: ~/.fbuild/{prod,dev}/daemon/ (fbuild_daemon.pid, daemon-<hash>.port,
//    daemon_status.json, root-owner.lock, root-owner.json, spawn.lock)
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

export type ForeignFamily = 'python-1.3' | 'modern';

export interface ForeignLayout {
  family: ForeignFamily;
  dir: string;
}

/** Python 1.3's fixed ports: TCP 9876 in 1.3.27, HTTP 8765 from 1.3.28 (FBUILD_DAEMON_PORT may move the latter). */
export const PY13_PORTS = { plainPidFile: 9876, withLauncher: 8765 } as const;

export function foreignLayouts(home: string): ForeignLayout[] {
  return [
    { family: 'python-1.3', dir: join(home, '.fbuild', 'daemon') },
    { family: 'modern', dir: join(home, '.fbuild', 'prod', 'daemon') },
    { family: 'modern', dir: join(home, '.fbuild', 'dev', 'daemon') },
  ];
}

/** File names only another fbuild release writes (ours has a spawn.lock too, so that one proves nothing). */
const FOREIGN_NAMES =
  /^(fbuild_daemon\.pid|fbuild_daemon\.lock|daemon_status\.json|root-owner\.lock|root-owner\.json|daemon-[^/]+\.port|[^/]+_request\.json)$/;

/** The foreign daemon files in `dir` (empty when it does not exist). */
export function foreignFilesIn(dir: string): string[] {
  try {
    return readdirSync(dir)
      .filter((n) => FOREIGN_NAMES.test(n))
      .sort();
  } catch {
    return [];
  }
}

/** fbuild_daemon.pid: "1234" (1.3.27) or "1234,987" (1.3.28+: daemon pid, launcher pid). Null when it is not. */
export function parseForeignPidFile(text: string): { pid: number; launcher: number | null } | null {
  const m = /^\s*(\d{1,10})\s*(?:,\s*(\d{1,10})\s*)?$/.exec(text);
  if (!m) return null;
  const pid = Number(m[1]);
  if (!Number.isSafeInteger(pid) || pid <= 0) return null;
  return { pid, launcher: m[2] === undefined ? null : Number(m[2]) };
}

/** daemon-<hash>.port: a TCP port number. */
export function parsePortFile(text: string): number | null {
  const m = /^\s*(\d{1,5})\s*$/.exec(text);
  if (!m) return null;
  const port = Number(m[1]);
  return port > 0 && port < 65536 ? port : null;
}
