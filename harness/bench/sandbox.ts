// Every daemon the bench starts lives in a fresh private state directory made here, and is ended here:
// stopDaemon first, then SIGKILL by the pid the census finds for that directory (never by name). The dirs
// are removed afterwards. The other processes a step starts (clients, echo servers) are tracked here too, so an
// interrupted bench ends them by pid before it exits. Nothing under ~/.fbuild is touched.
import type { ChildProcess } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { daemonArgs, FBUILD_DAEMON, stopDaemon } from '../../src/index.js';
import { findDaemons } from '../census/index.js';
import { killDaemons } from '../census/kill-daemons.js';
import { killAndWait } from '../engine/kill.js';
import type { DaemonSignature } from '../engine/strategy.js';

export function signatureOf(stateDir: string): DaemonSignature {
  return { kind: 'program', program: FBUILD_DAEMON, args: daemonArgs(stateDir) };
}

export class BenchSandbox {
  readonly #dirs: string[] = [];
  readonly #children = new Set<number>();

  /** A child process of this bench: ended by cleanup() if it is still running then. */
  track<C extends ChildProcess>(child: C): C {
    const pid = child.pid;
    if (pid !== undefined) {
      this.#children.add(pid);
      child.once('exit', () => this.#children.delete(pid));
    }
    return child;
  }

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
    await killAndWait([...this.#children], 0);
    for (const d of this.#dirs) await this.stopDaemonsOf(d);
    for (const d of this.#dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  }
}
