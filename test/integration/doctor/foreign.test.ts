// The other fbuild daemons a user runs beside ours (DESIGN §10), played by stand-in processes whose command
// lines match each release's (fixtures/fbuild-eras) in a temp HOME with that release's file layout. Doctor
// must report them, stop only proven duplicates with --fix, and never touch their files or unrelated processes.
import type { ChildProcess } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../../../src/paths.js';
import { isAlive } from '../../../src/process/index.js';
import { runFbuild } from '../../helpers/cli.js';
import { waitFor } from '../../helpers/daemon.js';
import { childTracker } from '../../helpers/procs.js';
import { tempDirs } from '../../helpers/tmp.js';

const procs = childTracker();
const tmp = tempDirs('fbuild-doctor-foreign-');
const ERAS = join(projectRoot, 'fixtures', 'fbuild-eras');

interface Finding {
  code: string;
  severity: string;
  message: string;
}

function doctor(home: string, stateDir: string, ...args: string[]) {
  const r = runFbuild(stateDir, ['doctor', '--json', ...args], 60_000, { HOME: home });
  if (r.code === null) throw new Error(`doctor hung: ${r.stderr}`);
  // daemons of other state directories (other tests running now) are a note that says nothing here
  const findings = (r.json.checks as Array<{ findings: Finding[] }>)
    .flatMap((c) => c.findings)
    .filter((f) => f.code !== 'DAEMON_OTHER_DIRS');
  return { code: r.code, json: r.json, findings, codes: findings.map((f) => f.code).sort() };
}

/** A stand-in daemon; resolves once it is up (and listening, with `listen`). */
async function standIn(
  home: string,
  dir: string,
  args: string[],
  o: { listen?: string; rust?: boolean } = {},
): Promise<{ child: ChildProcess; port: number }> {
  const ready = join(dir, `ready-${Math.random().toString(36).slice(2)}`);
  let cmd = 'python3';
  let argv = ['-m', 'fbuild.daemon.daemon', ...args];
  if (o.rust) {
    // the Rust daemon's executable is `fbuild-daemon`: a copy of python3 by that name runs the stand-in (a symlink
    // would not do: /proc/PID/exe names the file run, and doctor checks it)
    cmd = join(dir, 'fbuild-daemon');
    if (!existsSync(cmd)) copyFileSync(realpathSync('/usr/bin/python3'), cmd);
    argv = [join(ERAS, 'fbuild', 'daemon', 'daemon.py'), ...args];
  }
  const child = procs.start(cmd, argv, {
    stdio: 'ignore',
    cwd: ERAS,
    env: {
      ...process.env,
      HOME: home,
      PYTHONPATH: ERAS,
      STANDIN_READY: ready,
      ...(o.listen ? { STANDIN_LISTEN: o.listen } : {}),
    },
  });
  const line = await waitFor(() => existsSync(ready) && readFileSync(ready, 'utf8'), 60_000, 'stand-in to start'); // hang guard: python through a pyenv shim is slow under load
  return { child, port: Number(line.trim().split(' ')[1]) };
}

function layout(home: string, rel: string, files: Record<string, string>): string {
  const dir = join(home, '.fbuild', rel);
  mkdirSync(dir, { recursive: true });
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

describe('fbuild doctor and the other fbuild daemons', () => {
  it('Python 1.3.27 duplicates (no start lock): reported; --fix keeps the one its pid file names, stops the rest, keeps its files', async () => {
    const home = tmp();
    const work = tmp();
    const a = await standIn(home, work, ['--spawned-by=101']);
    const b = await standIn(home, work, ['--spawned-by=102']);
    const c = await standIn(home, work, ['--spawned-by=103']);
    const dir = layout(home, 'daemon', {
      'fbuild_daemon.pid': `${b.child.pid}\n`,
      'daemon_status.json': '{"state":"idle"}',
    });
    const unrelated = procs.start('sleep', ['300'], { stdio: 'ignore' });
    const bad = doctor(home, join(work, 'ours'));
    expect(bad.codes).toEqual(['FOREIGN_DAEMON', 'FOREIGN_DAEMON', 'FOREIGN_DAEMON', 'FOREIGN_DUPLICATES']);
    expect(bad.findings.find((f) => f.code === 'FOREIGN_DAEMON')?.message).toContain('1.3.27');
    expect(bad.code).toBe(1);
    const fixed = doctor(home, join(work, 'ours'), '--fix');
    await waitFor(() => !isAlive(a.child.pid!) && !isAlive(c.child.pid!), 30_000, 'the extras to stop');
    expect(isAlive(b.child.pid!)).toBe(true);
    expect(isAlive(unrelated.pid!)).toBe(true);
    expect(readFileSync(join(dir, 'fbuild_daemon.pid'), 'utf8')).toBe(`${b.child.pid}\n`);
    expect(fixed.codes).toEqual(['FOREIGN_DAEMON']);
    expect(fixed.code).toBe(0);
  });

  it('Python 1.3.28+ with a pid file naming a dead process: a stale pid file, left in place', async () => {
    const home = tmp();
    const work = tmp();
    await standIn(home, work, ['--launched-by=555']);
    const pidFile = join(
      layout(home, 'daemon', { 'fbuild_daemon.pid': '999999,555', 'fbuild_daemon.lock': '' }),
      'fbuild_daemon.pid',
    );
    const r = doctor(home, join(work, 'ours'), '--fix');
    expect(r.codes).toEqual(['FOREIGN_DAEMON', 'FOREIGN_PID_STALE']);
    expect(r.findings[0]!.message).toContain('1.3.28');
    expect(readFileSync(pidFile, 'utf8')).toBe('999999,555');
  });

  it('Rust 2.x listening on every interface, and a port its files claim answered by another process', async () => {
    const home = tmp();
    const work = tmp();
    const rust = await standIn(home, work, ['--dev'], { rust: true, listen: '0.0.0.0:0' });
    const squatter = await standIn(home, work, [], { listen: '127.0.0.1:0' }); // a Python 1.5.x stand-in
    layout(home, 'dev/daemon', {
      'fbuild_daemon.pid': `${rust.child.pid}\n`,
      'daemon-abc.port': `${squatter.port}\n`,
      'root-owner.lock': '',
    });
    const r = doctor(home, join(work, 'ours'));
    expect(r.codes).toEqual(['FOREIGN_DAEMON', 'FOREIGN_DAEMON', 'FOREIGN_EXPOSED', 'FOREIGN_PORT_CONFLICT']);
    expect(r.findings.find((f) => f.code === 'FOREIGN_EXPOSED')?.message).toContain(`0.0.0.0:${rust.port}`);
    expect(r.findings.find((f) => f.code === 'FOREIGN_PORT_CONFLICT')?.message).toContain(`pid ${squatter.child.pid}`);
  });

  it("our state directory pointed at the Python daemon's is refused as foreign", async () => {
    const home = tmp();
    const dir = layout(home, 'daemon', { 'fbuild_daemon.pid': '999999', 'daemon_status.json': '{}' });
    const r = doctor(home, dir);
    expect(r.codes).toContain('STATE_DIR_FOREIGN');
    expect(r.code).toBe(1);
  });
});
