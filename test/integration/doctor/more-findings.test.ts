// The rest of doctor's findings, each produced for real: a stale spawn lock, a malformed secret, an owner on
// another host, daemons of other state directories, and (as root, on a tiny or read-only tmpfs) low space and an
// unwritable state directory.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readStartTime } from '../../../src/process/index.js';
import { runFbuild } from '../../helpers/cli.js';
import { daemonSandboxes, waitFor } from '../../helpers/daemon.js';
import { childTracker } from '../../helpers/procs.js';
import { tempDirs } from '../../helpers/tmp.js';

const sandbox = daemonSandboxes('fbuild-doctor-more-');
const tmp = tempDirs('fbuild-doctor-more-home-');
const procs = childTracker();

function doctor(stateDir: string, home: string, ...args: string[]) {
  const r = runFbuild(stateDir, ['doctor', '--json', ...args], 60_000, { HOME: home });
  if (r.code === null) throw new Error(`doctor hung: ${r.stderr}`);
  const findings = (
    r.json.checks as Array<{ findings: Array<{ code: string; severity: string; evidence: string[] }> }>
  ).flatMap((c) => c.findings);
  const problems = [
    ...new Set(findings.filter((f) => f.severity === 'warning' || f.severity === 'error').map((f) => f.code)),
  ].sort();
  return { code: r.code, findings, problems };
}

function deadRecord(host = hostname()): string {
  const pid = spawnSync('true').pid!;
  return `${JSON.stringify({ v: 1, pid, startTime: null, nonce: 'cd'.repeat(12), hostname: host, createdAt: new Date(Date.now() - 60_000).toISOString(), version: '0.1.0', extra: {} })}\n`;
}

describe('fbuild doctor: the remaining findings', () => {
  it('a spawn lock of a dead client is stale: --fix takes it over and releases it', () => {
    const sb = sandbox();
    const home = tmp();
    mkdirSync(sb.stateDir, { recursive: true, mode: 0o700 });
    writeFileSync(join(sb.stateDir, 'spawn.lock'), deadRecord(), { mode: 0o600 });
    expect(doctor(sb.stateDir, home).problems).toEqual(['SPAWN_LOCK_STALE']);
    expect(doctor(sb.stateDir, home, '--fix').problems).toEqual([]);
    expect(existsSync(join(sb.stateDir, 'spawn.lock'))).toBe(false);
  });

  it('a malformed secret is a warning (the next daemon replaces it)', async () => {
    const sb = sandbox();
    const home = tmp();
    mkdirSync(sb.stateDir, { recursive: true, mode: 0o700 });
    writeFileSync(join(sb.stateDir, 'secret'), 'not hex\n', { mode: 0o600 });
    const r = doctor(sb.stateDir, home);
    expect(r.problems).toEqual(['SECRET_CORRUPT']);
    await sb.ensure();
    expect(doctor(sb.stateDir, home).problems).toEqual([]);
  });

  it('an owner that is alive and running but never listens (past its grace) is wedged; --fix leaves it alone', async () => {
    const sb = sandbox();
    const home = tmp();
    mkdirSync(sb.stateDir, { recursive: true, mode: 0o700 });
    const holder = procs.start('sleep', ['300'], { stdio: 'ignore' });
    const startTime = await waitFor(
      () => {
        const r = readStartTime(holder.pid!);
        return r.kind === 'ok' && r.startTime;
      },
      10_000,
      'sleep to start',
    );
    const rec = {
      v: 1,
      pid: holder.pid,
      startTime,
      nonce: 'ef'.repeat(12),
      hostname: hostname(),
      createdAt: new Date(Date.now() - 60_000).toISOString(),
      version: '0.1.0',
      extra: { endpoint: join(sb.stateDir, 'd.sock'), endpointKind: 'sockfile' },
    };
    writeFileSync(join(sb.stateDir, 'owner.json'), `${JSON.stringify(rec)}\n`, { mode: 0o600 });
    const r = doctor(sb.stateDir, home, '--fix');
    expect(r.problems).toEqual(['DAEMON_WEDGED']);
    expect(r.code).toBe(1);
    expect(existsSync(join(sb.stateDir, 'owner.json'))).toBe(true);
    expect(holder.exitCode).toBeNull();
  });

  it('an owner on another host is a note, never judged or cleared from here', () => {
    const sb = sandbox();
    const home = tmp();
    mkdirSync(sb.stateDir, { recursive: true, mode: 0o700 });
    writeFileSync(join(sb.stateDir, 'owner.json'), deadRecord('build-server-7'), { mode: 0o600 });
    const r = doctor(sb.stateDir, home, '--fix');
    expect(r.problems).toEqual([]);
    expect(r.findings.map((f) => f.code)).toContain('OWNER_OTHER_PLACE');
    expect(existsSync(join(sb.stateDir, 'owner.json'))).toBe(true);
  });

  it('daemons of other state directories are listed as a note', async () => {
    const a = sandbox();
    const b = sandbox();
    const home = tmp();
    const other = await b.ensure();
    const r = doctor(a.stateDir, home);
    expect(r.code).toBe(0);
    const note = r.findings.find((f) => f.code === 'DAEMON_OTHER_DIRS');
    expect(note?.evidence.join('\n')).toContain(`pid ${other.identity.pid}`);
  });

  it('little free space, then a read-only file system (root: a tmpfs of its own)', (t) => {
    if (process.getuid?.() !== 0) return t.skip('needs root to mount a tmpfs; .ci/run runs as root');
    const home = tmp();
    const mnt = join(tmp(), 'mnt');
    mkdirSync(mnt);
    if (spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=64k,mode=0700', 'tmpfs', mnt]).status !== 0)
      return t.skip('mount -t tmpfs is not permitted here');
    try {
      const dir = join(mnt, 'state');
      mkdirSync(dir, { mode: 0o700 });
      expect(doctor(dir, home).problems).toEqual(['DISK_SPACE_LOW']);
      expect(spawnSync('mount', ['-o', 'remount,ro', mnt]).status).toBe(0);
      expect(doctor(dir, home).problems).toEqual(['DISK_SPACE_LOW', 'STATE_DIR_UNWRITABLE']);
    } finally {
      spawnSync('umount', [mnt]);
    }
  });
});
