// `fbuild doctor` against real broken states: each finding produced for real (real daemons, SIGKILL,
// SIGSTOP, live unrelated processes, FIFOs, permissions, leftovers), checked through the real CLI with
// --json; `--fix` must leave one healthy daemon (or none, cleanly) and every unrelated process alive.
import { type ChildProcess, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isAlive, readStartTime } from '../../../src/process/index.js';
import { runFbuild } from '../../helpers/cli.js';
import { daemonSandboxes, waitFor } from '../../helpers/daemon.js';
import { childTracker } from '../../helpers/procs.js';
import { tempDirs } from '../../helpers/tmp.js';

const sandbox = daemonSandboxes('fbuild-doctor-');
const procs = childTracker();
const tmp = tempDirs('fbuild-doctor-home-');

interface DoctorJson {
  ok: boolean;
  healthy: boolean;
  checks: Array<{
    id: string;
    status: string;
    findings: Array<{ code: string; severity: string; actions: unknown[] }>;
  }>;
  fix: { plan: unknown[]; outcomes: Array<{ done: boolean; detail: string }> | null } | null;
  before: unknown;
  durationMs: number;
}

/** `fbuild doctor --json …` with its own HOME (so the machine's other fbuild daemons never show). */
function doctor(
  stateDir: string,
  home: string,
  ...args: string[]
): { code: number | null; json: DoctorJson; problems: string[]; codes: string[] } {
  const r = runFbuild(stateDir, ['doctor', '--json', ...args], 60_000, { HOME: home });
  if (r.code === null) throw new Error(`doctor hung: ${r.stderr}`);
  const json = r.json as DoctorJson;
  const all = json.checks.flatMap((c) => c.findings);
  const problems = [
    ...new Set(all.filter((f) => f.severity === 'warning' || f.severity === 'error').map((f) => f.code)),
  ].sort();
  return { code: r.code, json, problems, codes: [...new Set(all.map((f) => f.code))].sort() };
}

function deadPid(): number {
  const r = spawnSync('true');
  return r.pid!;
}

function record(pid: number, startTime: string | null, extra: Record<string, unknown> = {}): string {
  return `${JSON.stringify({ v: 1, pid, startTime, nonce: 'ab'.repeat(12), hostname: hostname(), createdAt: new Date(Date.now() - 60_000).toISOString(), version: '0.1.0', extra })}\n`;
}

function sleeper(): ChildProcess {
  return procs.start('sleep', ['300'], { stdio: 'ignore' });
}

describe('fbuild doctor', () => {
  it('a clean machine is healthy, with and without a running daemon (exit 0)', async () => {
    const sb = sandbox();
    const home = tmp();
    const none = doctor(sb.stateDir, home);
    expect(none.problems).toEqual([]);
    expect(none.code).toBe(0);
    expect(none.json.healthy).toBe(true);
    const { identity } = await sb.ensure();
    const live = doctor(sb.stateDir, home);
    expect(live.problems).toEqual([]);
    expect(live.code).toBe(0);
    expect(JSON.stringify(live.json.checks.find((c) => c.id === 'endpoint'))).toContain(`pid ${identity.pid}`);
    expect(live.json).toMatchObject({ schema: 1, kind: 'fbuild-doctor' });
  });

  it('duplicate daemons (the lock bypassed by the test-only switch): --fix keeps the owner and stops the extra', async () => {
    const sb = sandbox({ env: { FBUILD_DAEMON_SELFCHECK_MS: '3600000' } });
    const home = tmp();
    const first = sb.spawnDaemon();
    await waitFor(() => sb.ownerRecord()?.pid === first.pid, 10_000, 'first daemon to own');
    // the broken build takes the owner's place; on another endpoint it cannot collide with the first one's socket
    const second = sb.spawnDaemon({ FBUILD_TEST_HOOKS: 'skip-claim', FBUILD_OWNERSHIP: 'abstract' });
    await waitFor(
      () => sb.ownerRecord()?.pid === second.pid && sb.alive().length === 2,
      10_000,
      'second daemon to take over',
    );
    const bad = doctor(sb.stateDir, home);
    expect(bad.problems).toEqual(['DAEMON_DUPLICATES', 'DAEMON_NOT_OWNER']);
    expect(bad.code).toBe(1);
    const dry = doctor(sb.stateDir, home, '--fix', '--dry-run');
    expect(dry.json.fix?.plan).toEqual([expect.objectContaining({ kind: 'stop-process', pid: first.pid })]);
    expect(isAlive(first.pid!)).toBe(true);
    const unrelated = sleeper();
    const fixed = doctor(sb.stateDir, home, '--fix');
    expect(fixed.json.fix?.outcomes?.every((o) => o.done)).toBe(true);
    await waitFor(() => !isAlive(first.pid!), 5_000, 'the extra daemon to be gone');
    expect(sb.alive()).toEqual([second.pid]);
    expect(isAlive(unrelated.pid!)).toBe(true);
    // the owner was started with another FBUILD_OWNERSHIP than this client's: said so, not hidden as "starting"
    expect(fixed.problems).toEqual(['ENDPOINT_MISMATCH']);
  });

  it('a SIGKILLed daemon leaves a dead owner and a stale socket: a warning until --fix clears both', async () => {
    const sb = sandbox();
    const home = tmp();
    const { identity } = await sb.ensure();
    process.kill(identity.pid, 'SIGKILL');
    await waitFor(() => !isAlive(identity.pid), 5_000, 'daemon to die');
    const bad = doctor(sb.stateDir, home);
    expect(bad.problems).toEqual(['OWNER_DEAD', 'SOCKET_STALE']);
    expect(bad.code).toBe(1);
    const fixed = doctor(sb.stateDir, home, '--fix');
    expect(fixed.problems).toEqual([]);
    expect(fixed.code).toBe(0);
    expect(existsSync(join(sb.stateDir, 'owner.json'))).toBe(false);
    expect(existsSync(join(sb.stateDir, 'd.sock'))).toBe(false);
    // and the next start is a normal one
    expect((await sb.ensure()).spawned).toBe(true);
  });

  it('a SIGSTOPped owner is reported stopped at once, without waiting on it; --fix never touches the owner', async () => {
    const sb = sandbox();
    const home = tmp();
    const { identity } = await sb.ensure();
    process.kill(identity.pid, 'SIGSTOP');
    try {
      const t0 = performance.now();
      const bad = doctor(sb.stateDir, home, '--fix');
      const ms = performance.now() - t0;
      expect(bad.problems).toEqual(['DAEMON_STOPPED']);
      expect(bad.code).toBe(1);
      expect(bad.json.fix?.plan).toEqual([]);
      expect(isAlive(identity.pid)).toBe(true);
      expect(ms).toBeLessThan(20_000); // hang guard only: it answers from the process state
    } finally {
      process.kill(identity.pid, 'SIGCONT');
    }
  });

  it('an owner record naming a live unrelated process (pid reuse): --fix clears the record, the process lives', async () => {
    const sb = sandbox();
    const home = tmp();
    mkdirSync(sb.stateDir, { recursive: true, mode: 0o700 });
    const other = sleeper();
    await waitFor(() => readStartTime(other.pid!).kind === 'ok', 5_000, 'sleep to start');
    writeFileSync(join(sb.stateDir, 'owner.json'), record(other.pid!, '1'), { mode: 0o600 });
    const bad = doctor(sb.stateDir, home);
    expect(bad.problems).toEqual(['OWNER_PID_REUSED']);
    const fixed = doctor(sb.stateDir, home, '--fix');
    expect(fixed.problems).toEqual([]);
    expect(existsSync(join(sb.stateDir, 'owner.json'))).toBe(false);
    expect(isAlive(other.pid!)).toBe(true);
  });

  it('garbage and a FIFO where the owner record belongs; a malformed status file', async () => {
    const sb = sandbox();
    const home = tmp();
    mkdirSync(sb.stateDir, { recursive: true, mode: 0o700 });
    const owner = join(sb.stateDir, 'owner.json');
    writeFileSync(owner, Buffer.from([0xff, 0xfe, 0x00, 0x7b]));
    const old = new Date(Date.now() - 60_000);
    spawnSync('touch', ['-d', old.toISOString(), owner]);
    writeFileSync(join(sb.stateDir, 'status.json'), '{"schema":1,"sta');
    const garbage = doctor(sb.stateDir, home);
    expect(garbage.problems).toEqual(['OWNER_CORRUPT', 'STATUS_CORRUPT']);
    expect(doctor(sb.stateDir, home, '--fix').problems).toEqual(['STATUS_CORRUPT']);
    spawnSync('mkfifo', [owner]);
    const fifo = doctor(sb.stateDir, home);
    expect(fifo.problems).toEqual(['OWNER_NOT_FILE', 'STATUS_CORRUPT']);
    expect(fifo.code).toBe(1);
    doctor(sb.stateDir, home, '--fix');
    expect(existsSync(owner)).toBe(false);
    expect(readdirSync(sb.stateDir).some((n) => n.startsWith('owner.json.doctor-'))).toBe(true); // kept as evidence
  });

  it('wrong permissions on the state directory and on the secret', async () => {
    const sb = sandbox();
    const home = tmp();
    await sb.ensure();
    await sb.stop();
    chmodSync(join(sb.stateDir, 'secret'), 0o644);
    expect(doctor(sb.stateDir, home).problems).toEqual(['SECRET_UNSAFE']);
    chmodSync(sb.stateDir, 0o755);
    const bad = doctor(sb.stateDir, home);
    expect(bad.problems).toEqual(['SECRET_UNSAFE', 'STATE_DIR_UNSAFE']);
    expect(bad.code).toBe(1);
    chmodSync(sb.stateDir, 0o700);
    chmodSync(join(sb.stateDir, 'secret'), 0o600);
    expect(doctor(sb.stateDir, home).code).toBe(0);
  });

  it('orphaned takeover markers, temp files and lock candidates of dead processes: --fix removes exactly those', async () => {
    const sb = sandbox();
    const home = tmp();
    mkdirSync(join(sb.stateDir, 'requests'), { recursive: true, mode: 0o700 });
    const dead = deadPid();
    const marker = join(sb.stateDir, `owner.json.reap-${'0a'.repeat(10)}`);
    writeFileSync(marker, record(dead, null, { reaping: 'owner.json' }), { mode: 0o600 });
    const temp = join(sb.stateDir, 'requests', `.k-1.json.${dead}.${'c'.repeat(12)}.fbtmp`);
    writeFileSync(temp, '{"half":');
    const cand = join(sb.stateDir, `.spawn.lock.${'ab'.repeat(12)}.cand`);
    writeFileSync(cand, record(dead, null));
    // a live process's temp file is not a leftover
    const liveTemp = join(sb.stateDir, `.status.json.${process.pid}.${'d'.repeat(12)}.fbtmp`);
    writeFileSync(liveTemp, '{');
    const bad = doctor(sb.stateDir, home);
    expect(bad.problems).toEqual(['REAP_MARKERS_LEFT', 'TEMP_FILES_LEFT']);
    const fixed = doctor(sb.stateDir, home, '--fix');
    expect(fixed.problems).toEqual([]);
    for (const p of [marker, temp, cand]) expect(existsSync(p)).toBe(false);
    expect(existsSync(liveTemp)).toBe(true);
  });

  it('usage: --dry-run needs --fix (exit 2); --help explains the exit codes', () => {
    const home = tmp();
    const r = runFbuild(join(home, 'state'), ['doctor', '--dry-run'], 30_000, { HOME: home });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('[BAD_OPTION]');
    const help = runFbuild(join(home, 'state'), ['doctor', '--help'], 30_000, { HOME: home });
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/0 healthy.*1 a warning or\s+error.*2 doctor itself failed/s);
    expect(existsSync(join(home, 'state'))).toBe(false); // looking never creates the state directory
  });

  it('a daemon of an older protocol is a warning; a silent listener on the endpoint is an impostor, never signalled', async () => {
    const sb = sandbox();
    const home = tmp();
    const old = sb.spawnDaemon({ FBUILD_DAEMON_PROTOCOL: '0' });
    await waitFor(
      () => existsSync(join(sb.stateDir, 'd.sock')) && sb.ownerRecord()?.pid === old.pid,
      10_000,
      'old daemon to listen',
    );
    const r = doctor(sb.stateDir, home);
    expect(r.problems).toEqual(['DAEMON_OLD_PROTOCOL']);
    expect(r.code).toBe(1);
    await sb.stop();
    // something that accepts connections on the socket path and never answers
    const squatter = procs.start(
      process.execPath,
      ['-e', `require('node:net').createServer(() => {}).listen(${JSON.stringify(join(sb.stateDir, 'd.sock'))})`],
      {
        stdio: 'ignore',
      },
    );
    await waitFor(() => existsSync(join(sb.stateDir, 'd.sock')), 10_000, 'squatter to listen');
    const bad = doctor(sb.stateDir, home, '--fix');
    expect(bad.problems).toEqual(['ENDPOINT_IMPOSTOR']);
    expect(bad.json.fix?.plan).toEqual([]);
    expect(isAlive(squatter.pid!)).toBe(true);
  });
});
