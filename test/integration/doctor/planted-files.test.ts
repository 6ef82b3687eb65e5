// Things planted where doctor's files belong — FIFOs, /dev/zero, symlinked directories, hard links — each met
// by the real `fbuild doctor` (dist/) as a user runs it. Doctor must finish with a finding, never wait on a FIFO,
// read a device without end, follow a link out of the state directory, or write through a hard link; --fix
// moves what blocks a start aside (kept as evidence) so the next `daemon start` works.
import { spawnSync } from 'node:child_process';
import {
  existsSync,
  linkSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runFbuild } from '../../helpers/cli.js';
import { daemonSandboxes, waitFor } from '../../helpers/daemon.js';
import { tempDirs } from '../../helpers/tmp.js';

const sandbox = daemonSandboxes('fbuild-doctor-planted-');
const tmp = tempDirs('fbuild-doctor-planted-home-');

// Doctor bounds its own waits: the endpoint probe (--deadline, 2 s) at most twice, and a process snapshot.
// Fifteen times that is a hang, not a busy machine. The address-space cap turns an endless read of /dev/zero
// into a crash (a failed test) before it takes the memory of a shared machine.
const DOCTOR_GUARD_MS = 15 * 2 * 2_000;
const LIMITS = { addressSpaceKiB: 3 * 1024 * 1024 };
const HEX24 = 'ab'.repeat(12);

function mkfifo(path: string): void {
  expect(spawnSync('mkfifo', [path]).status).toBe(0);
}

function doctor(stateDir: string, home: string, ...args: string[]) {
  const r = runFbuild(stateDir, ['doctor', '--json', ...args], DOCTOR_GUARD_MS, { HOME: home }, LIMITS);
  if (r.code === null)
    throw new Error(`doctor hung or crashed (killed by the hang guard or the memory cap): ${r.stderr}`);
  expect(r.json.failed, `a check could not run: ${r.stdout}`).toBe(false);
  const findings = (
    r.json.checks as Array<{ findings: Array<{ code: string; severity: string; evidence: string[] }> }>
  ).flatMap((c) => c.findings);
  const problems = [
    ...new Set(findings.filter((f) => f.severity === 'warning' || f.severity === 'error').map((f) => f.code)),
  ].sort();
  return { code: r.code, findings, problems, json: r.json };
}

/** An owner record of a process that has exited: what a lock candidate of a killed holder holds. */
function deadRecord(): string {
  const pid = spawnSync('true').pid!;
  const createdAt = new Date(Date.now() - 60_000).toISOString();
  return `${JSON.stringify({ v: 1, pid, startTime: null, nonce: HEX24, hostname: hostname(), createdAt, version: '0.1.0', extra: {} })}\n`;
}

function fresh() {
  const sb = sandbox();
  mkdirSync(sb.stateDir, { recursive: true, mode: 0o700 });
  return { sb, home: tmp() };
}

describe('fbuild doctor never hangs on what it reads (N3)', () => {
  it('a FIFO and a /dev/zero symlink named like lock candidates: doctor finishes, healthy', () => {
    const { sb, home } = fresh();
    mkfifo(join(sb.stateDir, `.owner.json.${HEX24}.cand`));
    symlinkSync('/dev/zero', join(sb.stateDir, `.spawn.lock.${'cd'.repeat(12)}.cand`));
    const r = doctor(sb.stateDir, home);
    expect(r.problems).toEqual([]);
    expect(r.code).toBe(0);
    // --fix removes candidates of dead writers only; these are not candidates of ours and stay
    expect(doctor(sb.stateDir, home, '--fix').code).toBe(0);
    expect(existsSync(join(sb.stateDir, `.owner.json.${HEX24}.cand`))).toBe(true);
  });

  it("other releases' pid files as a FIFO and as /dev/zero, a port file as a FIFO: FOREIGN_PID_STALE, no hang", () => {
    const { sb, home } = fresh();
    const py13 = join(home, '.fbuild', 'daemon');
    const modern = join(home, '.fbuild', 'prod', 'daemon');
    mkdirSync(py13, { recursive: true });
    mkdirSync(modern, { recursive: true });
    mkfifo(join(py13, 'fbuild_daemon.pid'));
    symlinkSync('/dev/zero', join(modern, 'fbuild_daemon.pid'));
    mkfifo(join(modern, 'daemon-0123abcd.port'));
    const r = doctor(sb.stateDir, home);
    expect(r.problems).toEqual(['FOREIGN_PID_STALE']);
    const stale = r.findings.filter((f) => f.code === 'FOREIGN_PID_STALE');
    expect(stale.map((f) => f.evidence[0]).sort()).toEqual(
      [join(modern, 'fbuild_daemon.pid'), join(py13, 'fbuild_daemon.pid')].sort(),
    );
    // their files are never touched
    expect(readdirSync(modern).sort()).toEqual(['daemon-0123abcd.port', 'fbuild_daemon.pid']);
  });

  it('FBUILD_LOCK=proper-lockfile, a FIFO at the owner record under a fresh lock directory: a finding, no hang', () => {
    // not a daemon sandbox: its teardown reads owner.json the plain way, and no daemon runs here
    const stateDir = join(tmp(), 'state');
    mkdirSync(stateDir, { mode: 0o700 });
    mkfifo(join(stateDir, 'owner.json'));
    mkdirSync(join(stateDir, 'owner.json.lock'));
    const env = { HOME: tmp(), FBUILD_LOCK: 'proper-lockfile' };
    const r = runFbuild(stateDir, ['doctor', '--json'], DOCTOR_GUARD_MS, env, LIMITS);
    expect(r.code, `doctor hung (killed by the guard): ${r.stderr}`).toBe(1);
    expect(r.json.failed).toBe(false);
    expect(r.json.checks.find((c: { id: string }) => c.id === 'owner-record').findings[0].code).toBe('OWNER_CORRUPT');
  });
});

describe('planted lock files are findings, and --fix clears the way (N8)', () => {
  it('a FIFO at spawn.lock: SPAWN_LOCK_NOT_FILE; --fix moves it aside and `daemon start` works', () => {
    const { sb, home } = fresh();
    const lock = join(sb.stateDir, 'spawn.lock');
    mkfifo(lock);
    const r = doctor(sb.stateDir, home);
    expect(r.problems).toEqual(['SPAWN_LOCK_NOT_FILE']);
    expect(r.code).toBe(1);
    expect(doctor(sb.stateDir, home, '--fix').problems).toEqual([]);
    expect(existsSync(lock)).toBe(false);
    expect(readdirSync(sb.stateDir).filter((n) => n.startsWith('spawn.lock.doctor-'))).toHaveLength(1);
    const start = runFbuild(sb.stateDir, ['daemon', 'start'], 60_000, { HOME: home });
    expect(start.code, start.stderr).toBe(0);
  });

  it('a FIFO and a symlink at takeover marker names: REAP_MARKER_NOT_FILE; --fix moves both aside', () => {
    const { sb, home } = fresh();
    const fifo = join(sb.stateDir, 'owner.json.reap-0123456789abcdef0123');
    const link = join(sb.stateDir, 'spawn.lock.reap-aaaaaaaaaaaaaaaaaaaa');
    mkfifo(fifo);
    symlinkSync('/dev/zero', link);
    const r = doctor(sb.stateDir, home);
    expect(r.problems).toEqual(['REAP_MARKER_NOT_FILE']);
    expect(r.findings.find((f) => f.code === 'REAP_MARKER_NOT_FILE')?.evidence.sort()).toEqual(
      [`${fifo}: a FIFO`, `${link}: a symbolic link`].sort(),
    );
    expect(doctor(sb.stateDir, home, '--fix').problems).toEqual([]);
    expect(existsSync(fifo) || existsSync(link)).toBe(false);
    expect(readdirSync(sb.stateDir).filter((n) => n.includes('.doctor-'))).toHaveLength(2);
  });
});

describe('doctor never follows a symlinked directory of the state directory (N9)', () => {
  for (const sub of ['requests', 'cache']) {
    it(`${sub}/ linked elsewhere: STATE_SUBDIR_UNSAFE, and --fix deletes nothing there`, () => {
      const { sb, home } = fresh();
      const elsewhere = join(tmp(), 'not-ours');
      mkdirSync(elsewhere);
      const temp = join(elsewhere, '.x.999999.abcdefabcdef.fbtmp');
      const cand = join(elsewhere, `.y.${HEX24}.cand`);
      writeFileSync(temp, 'somebody else');
      writeFileSync(cand, deadRecord());
      symlinkSync(elsewhere, join(sb.stateDir, sub));
      const r = doctor(sb.stateDir, home);
      expect(r.problems).toEqual(['STATE_SUBDIR_UNSAFE']);
      expect(doctor(sb.stateDir, home, '--fix').problems).toEqual(['STATE_SUBDIR_UNSAFE']);
      expect(readFileSync(temp, 'utf8')).toBe('somebody else');
      expect(existsSync(cand)).toBe(true);
    });
  }

  it('a temp file of a dead writer in a real requests/ is still swept', () => {
    const { sb, home } = fresh();
    mkdirSync(join(sb.stateDir, 'requests'), { mode: 0o700 });
    const temp = join(sb.stateDir, 'requests', '.r.json.999999.abcdefabcdef.fbtmp');
    writeFileSync(temp, '');
    expect(doctor(sb.stateDir, home).problems).toEqual(['TEMP_FILES_LEFT']);
    expect(doctor(sb.stateDir, home, '--fix').problems).toEqual([]);
    expect(existsSync(temp)).toBe(false);
  });
});

describe('daemon.log is never written through a hard link (N12)', () => {
  it('a hard link at daemon.log: start refuses (exit 5), doctor says LOG_FILE_UNSAFE, --fix moves it aside', () => {
    const { sb, home } = fresh();
    const victim = join(tmp(), 'victim.txt');
    writeFileSync(victim, 'precious\n');
    linkSync(victim, join(sb.stateDir, 'daemon.log'));
    const refused = runFbuild(sb.stateDir, ['daemon', 'start'], 60_000, { HOME: home });
    expect(refused.code).toBe(5);
    expect(refused.stderr).toContain('[STATE_FILE_LINKED]');
    expect(readFileSync(victim, 'utf8')).toBe('precious\n');
    expect(doctor(sb.stateDir, home).problems).toEqual(['LOG_FILE_UNSAFE']);
    expect(doctor(sb.stateDir, home, '--fix').problems).toEqual([]);
    const start = runFbuild(sb.stateDir, ['daemon', 'start'], 60_000, { HOME: home });
    expect(start.code, start.stderr).toBe(0);
    expect(readFileSync(victim, 'utf8')).toBe('precious\n');
  });

  it('a hard link planted while the daemon runs: its lines go to its stderr, the linked file is untouched', async () => {
    const { sb, home } = fresh();
    expect(runFbuild(sb.stateDir, ['daemon', 'start'], 60_000, { HOME: home }).code).toBe(0);
    const log = join(sb.stateDir, 'daemon.log');
    const original = join(sb.stateDir, 'daemon.log.original'); // the daemon's stderr: the file the spawner opened
    renameSync(log, original);
    const victim = join(tmp(), 'victim.txt');
    writeFileSync(victim, 'precious\n');
    linkSync(victim, log);
    const pkg = join(tmp(), 'pkg.tar.gz');
    writeFileSync(pkg, 'an archive');
    const install = runFbuild(sb.stateDir, ['install', pkg], 60_000, { HOME: home });
    expect(install.code, install.stderr).toBe(0);
    await waitFor(() => readFileSync(original, 'utf8').includes(`install ${pkg}`), 10_000, 'the install line');
    expect(readFileSync(original, 'utf8')).toContain('[STATE_FILE_LINKED]');
    expect(readFileSync(victim, 'utf8')).toBe('precious\n');
  });
});
