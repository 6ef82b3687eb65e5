// Every daemon the bench starts lives in a fresh private state directory made here, and is ended here:
// stopDaemon first, then SIGKILL by the pid the census finds for that directory (never by name). The dirs
// are removed afterwards. Nothing under ~/.fbuild is touched.
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { daemonArgs, FBUILD_DAEMON, stopDaemon } from '../../src/index.js';
import { findDaemons } from '../census/index.js';
import { killDaemons } from '../census/kill-daemons.js';
import type { DaemonSignature } from '../engine/strategy.js';

export function signatureOf(stateDir: string): DaemonSignature {
  return { kind: 'program', program: FBUILD_DAEMON, args: daemonArgs(stateDir) };
}

export class BenchSandbox {
  readonly #dirs: string[] = [];

  /** A fresh 0700 temp dir (short: it also names sockets). */
  dir(prefix = 'fbb-'): string {
    const d = mkdtempSync(join(tmpdir(), prefix));
    chmodSync(d, 0o700);
    this.#dirs.push(d);
    return d;
  }

  /** Stop the daemon of stateDir gracefully, then SIGKILL whatever daemon of that dir is still alive. */
  async stopDaemonsOf(stateDir: string): Promise<void> {
    try {
      await stopDaemon({ stateDir, deadlineMs: 5_000, force: true });
    } catch {
      /* SIGKILL below */
    }
    await killDaemons(signatureOf(stateDir), { graceMs: 500 });
  }

  /** pids of live daemons of any of this sandbox's dirs */
  async leftovers(): Promise<number[]> {
    const out: number[] = [];
    for (const d of this.#dirs) for (const p of await findDaemons(signatureOf(d))) out.push(p.pid);
    return out;
  }

  async cleanup(): Promise<void> {
    for (const d of this.#dirs) await this.stopDaemonsOf(d);
    for (const d of this.#dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  }
}
