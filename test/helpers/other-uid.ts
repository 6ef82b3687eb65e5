// Running a probe as another user, for tests of guarantees that root would pass anyway (TIOCEXCL, socket
// permissions): `setpriv` to uid/gid 65534 (nobody), node itself as the probe. Tests call `otherUidUnavailable`
// first and skip with its reason where that cannot be done (not root, no setpriv, node unreadable by nobody, or
// a program of this tree the probe runs out of nobody's reach).
import { type ChildProcessByStdio, spawn, spawnSync } from 'node:child_process';
import type { Readable, Writable } from 'node:stream';
import { unreadableByOtherUser } from '../../harness/faults/support/privileges.js';

export const OTHER_UID = 65534;

const setprivArgs = [`--reuid=${OTHER_UID}`, `--regid=${OTHER_UID}`, '--clear-groups'];

/** Runs `script` with node as uid 65534; its stdout, stderr and exit status. */
export function runAsOtherUid(script: string, args: string[] = [], timeoutMs = 60_000) {
  const r = spawnSync('setpriv', [...setprivArgs, process.execPath, '-e', script, ...args], {
    encoding: 'utf8',
    timeout: timeoutMs,
  });
  return { status: r.status, stdout: r.stdout ?? '', stderr: r.stderr ?? '', error: r.error };
}

/** A long-lived probe as uid 65534: its stdin and stdout are pipes (the caller ends it by closing stdin, say). */
export function startAsOtherUid(script: string, args: string[] = []): ChildProcessByStdio<Writable, Readable, null> {
  return spawn('setpriv', [...setprivArgs, process.execPath, '-e', script, ...args], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
}

/** The same without blocking this process (a server of the test must answer the probe meanwhile). */
export function spawnAsOtherUid(
  script: string,
  args: string[] = [],
): Promise<{ status: number | null; stdout: string }> {
  const child = startAsOtherUid(script, args);
  child.stdin.end();
  let stdout = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  return new Promise((resolve) => child.on('close', (status) => resolve({ status, stdout })));
}

/** Why a probe cannot run as another uid here, or null when it can; `program`: a file of this tree it runs. */
export function otherUidUnavailable(program?: string): string | null {
  if (process.getuid?.() !== 0) return 'needs root to run a probe as another uid (setpriv); CI runs as root';
  const probe = runAsOtherUid('process.stdout.write(String(process.getuid()))');
  if (probe.stdout !== String(OTHER_UID))
    return `cannot run node as uid ${OTHER_UID} here: ${probe.error?.message ?? probe.stderr}`;
  return program === undefined ? null : unreadableByOtherUser(program);
}
