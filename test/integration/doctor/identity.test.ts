// Which processes `fbuild doctor` takes for a daemon, and so may stop with --fix: the daemon program itself
// (node running a kit build's daemon entry, the marker right after it), serving this very directory as that
// process sees it. Wrappers whose argv carries the daemon's words, a daemon of another mount namespace that
// serves another directory at the same path, and same-uid lookalikes are none of ours to signal. Real wrappers
// (timeout, strace -f, flock, unshare -f), a real mount namespace with a tmpfs, real python3 lookalikes.
import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  copyFileSync,
  cpSync,
  existsSync,
  linkSync,
  mkdirSync,
  readFileSync,
  realpathSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { daemonArgs, daemonProcessCheck } from '../../../src/daemon/shared/signature.js';
import { daemonEntry, projectRoot } from '../../../src/paths.js';
import { isAlive, readExe } from '../../../src/process/index.js';
import { runFbuild } from '../../helpers/cli.js';
import { daemonSandboxes, waitFor } from '../../helpers/daemon.js';
import { childTracker } from '../../helpers/procs.js';
import { tempDirs } from '../../helpers/tmp.js';

const sandbox = daemonSandboxes('fbuild-doctor-id-');
const procs = childTracker();
const tmp = tempDirs('fbuild-doctor-id-home-');
const PYTHON = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';

interface Finding {
  code: string;
  message: string;
  evidence: string[];
}

/** `fbuild doctor --json …` with its own HOME; the findings of every check, and the --fix plan's stop actions. */
function doctor(stateDir: string, home: string, ...args: string[]) {
  const r = runFbuild(stateDir, ['doctor', '--json', ...args], 60_000, { HOME: home });
  if (r.code === null) throw new Error(`doctor hung: ${r.stderr}`);
  const findings = (r.json.checks as Array<{ findings: Finding[] }>).flatMap((c) => c.findings);
  const stops = ((r.json.fix?.plan ?? []) as Array<{ kind: string; pid: number }>).filter(
    (a) => a.kind === 'stop-process',
  );
  return { findings, codes: findings.map((f) => f.code).sort(), stops, before: r.json.before };
}

const DUPLICATE_CODES = ['DAEMON_DUPLICATES', 'DAEMON_NOT_OWNER', 'FOREIGN_DUPLICATES', 'FOREIGN_DAEMON'];

/**
 * The duplicate findings about this test's processes. Other releases' daemons are machine-wide (another test
 * file running beside this one may have a Python fbuild daemon up): a FOREIGN_* finding counts only when it names
 * one of `pids`.
 */
function duplicatesOf(found: { findings: Finding[] }, pids: Array<number | undefined>): string[] {
  const named = (f: Finding) => pids.some((pid) => new RegExp(`pid ${pid}\\b`).test(JSON.stringify(f)));
  return found.findings
    .filter((f) => DUPLICATE_CODES.includes(f.code) && (!f.code.startsWith('FOREIGN_') || named(f)))
    .map((f) => f.code);
}

describe('fbuild doctor: what is a daemon', () => {
  const wrappers: Array<[string, (dir: string) => string[]]> = [
    ['timeout', () => ['timeout', '300']],
    ['strace -f', () => ['strace', '-f', '-o', '/dev/null']],
    ['flock', (dir) => ['flock', join(dir, 'wrapper.lock')]],
    ['unshare -f', () => ['unshare', '-f']],
  ];

  it.each(wrappers)('a daemon run under %s: the wrapper is no daemon; --fix keeps the owner', async (_name, wrap) => {
    const sb = sandbox({ env: { FBUILD_DAEMON_SELFCHECK_MS: '3600000' } });
    const home = tmp();
    const [cmd, ...pre] = wrap(home);
    const wrapper = procs.start(cmd!, [...pre, process.execPath, daemonEntry(), ...daemonArgs(sb.stateDir)], {
      env: sb.env,
      stdio: 'ignore',
    });
    // the owner is the wrapper's child (hang guard: a ptraced node starts slowly under load)
    const owner = await waitFor(
      () => {
        const pid = sb.ownerRecord()?.pid;
        return typeof pid === 'number' && pid !== wrapper.pid && existsSync(join(sb.stateDir, 'd.sock')) && pid;
      },
      60_000,
      `the daemon under ${cmd} to own the directory`,
    );
    const fixed = doctor(sb.stateDir, home, '--fix');
    expect(fixed.stops).toEqual([]);
    expect(duplicatesOf(fixed, [owner, wrapper.pid])).toEqual([]);
    expect(isAlive(owner)).toBe(true);
    expect(isAlive(wrapper.pid!)).toBe(true);
    expect((await sb.ensure()).identity.pid).toBe(owner);
  });

  it('a daemon of another install of the kit, run by another node binary, is still recognised and proved', async () => {
    const sb = sandbox({ env: { FBUILD_DAEMON_SELFCHECK_MS: '3600000' } });
    const home = tmp();
    // another install: the same bundle elsewhere (its packages beside it), and a node binary by another name
    const other = join(tmp(), 'other-kit');
    mkdirSync(join(other, 'bin'), { recursive: true });
    cpSync(dirname(daemonEntry()), join(other, 'dist', 'bin'), { recursive: true });
    symlinkSync(join(projectRoot, 'node_modules'), join(other, 'node_modules'));
    const node = join(other, 'bin', 'node22');
    try {
      linkSync(realpathSync(process.execPath), node);
    } catch {
      copyFileSync(realpathSync(process.execPath), node); // another file system
    }
    chmodSync(node, 0o755);
    const first = procs.start(node, [join(other, 'dist', 'bin', basename(daemonEntry())), ...daemonArgs(sb.stateDir)], {
      env: sb.env,
      stdio: 'ignore',
    });
    await waitFor(() => sb.ownerRecord()?.pid === first.pid, 60_000, "the other install's daemon to own");
    // the broken build takes the owner's place (on another endpoint, so the two do not collide)
    const second = sb.spawnDaemon({ FBUILD_TEST_HOOKS: 'skip-claim', FBUILD_OWNERSHIP: 'abstract' });
    await waitFor(() => sb.ownerRecord()?.pid === second.pid, 60_000, 'the second daemon to take over');
    const fixed = doctor(sb.stateDir, home, '--fix');
    expect(fixed.stops.map((a) => a.pid)).toEqual([first.pid]);
    await waitFor(() => !isAlive(first.pid!), 10_000, "the other install's daemon to stop");
    expect(isAlive(second.pid!)).toBe(true);
  });

  it('daemonProcessCheck (asked before stop --force signals, and by the owner probe) proves the daemon, not its wrapper', async () => {
    const sb = sandbox({ env: { FBUILD_DAEMON_SELFCHECK_MS: '3600000' } });
    const wrapper = procs.start('timeout', ['300', process.execPath, daemonEntry(), ...daemonArgs(sb.stateDir)], {
      env: sb.env,
      stdio: 'ignore',
    });
    const owner = await waitFor(
      () => sb.ownerRecord()?.pid !== wrapper.pid && sb.ownerRecord()?.pid,
      60_000,
      'the daemon under timeout to own the directory',
    );
    expect(daemonProcessCheck(owner, sb.stateDir)).toBe('daemon');
    expect(daemonProcessCheck(wrapper.pid!, sb.stateDir)).toBe('other');
    expect(daemonProcessCheck(owner, tmp())).toBe('other'); // another directory
    const inline = procs.start(
      process.execPath,
      ['-e', 'setInterval(() => {}, 1000)', '--', ...daemonArgs(sb.stateDir)],
      {
        stdio: 'ignore',
      },
    );
    await waitFor(() => readExe(inline.pid!) === process.execPath, 10_000, 'the lookalike to run');
    expect(daemonProcessCheck(inline.pid!, sb.stateDir)).toBe('other');
  });

  it('a daemon in another mount namespace, serving another directory (a tmpfs) at the same path, is left alone', async (t) => {
    const probe = spawnSync('unshare', ['--mount', 'true'], { encoding: 'utf8' });
    if (process.getuid?.() !== 0 || probe.status !== 0) {
      console.log(`skipped: unshare --mount is not permitted here (${probe.stderr?.trim() || 'not root'})`);
      t.skip();
    }
    const sb = sandbox({ env: { FBUILD_DAEMON_SELFCHECK_MS: '3600000' } });
    const home = tmp();
    const ours = (await sb.ensure()).identity.pid;
    // `sh` execs node: the namespace's daemon is this very pid
    const inner = procs.start(
      'unshare',
      [
        '--mount',
        'sh',
        '-c',
        'mount -t tmpfs -o mode=0700 none "$1" && exec "$2" "$3" --fbuild-daemon --state-dir="$1"',
        'sh',
        sb.stateDir,
        process.execPath,
        daemonEntry(),
      ],
      { env: sb.env, stdio: 'ignore' },
    );
    await waitFor(
      () => readExe(inner.pid!) === process.execPath && existsSync(`/proc/${inner.pid}/root${sb.stateDir}/d.sock`),
      60_000,
      'the daemon of the other namespace to listen',
    );
    const fixed = doctor(sb.stateDir, home, '--fix');
    expect(fixed.stops).toEqual([]);
    expect(duplicatesOf(fixed, [ours, inner.pid])).toEqual([]);
    const other = fixed.findings.find((f) => f.code === 'DAEMON_OTHER_DIRS');
    expect(other?.evidence.find((e) => e.includes(`pid ${inner.pid}`))).toContain('another directory at this path');
    expect(isAlive(inner.pid!)).toBe(true);
    expect(isAlive(ours)).toBe(true);
  });

  /** python3 processes, one per argument list given after `-c <code>`; resolves once each runs its code */
  async function lookalikes(home: string, env: NodeJS.ProcessEnv, ...argvs: string[][]) {
    const started = join(home, 'started');
    writeFileSync(started, '');
    // each writes its pid once python runs (past the interpreter's own start-up), then sleeps
    const code = `import os, time; open(${JSON.stringify(started)}, 'a').write('%d\\n' % os.getpid()); time.sleep(300)`;
    const children = argvs.map((rest) => procs.start(PYTHON, ['-c', code, ...rest], { env, stdio: 'ignore' }));
    await waitFor(
      () => readFileSync(started, 'utf8').trim().split('\n').length === argvs.length,
      60_000,
      'the lookalikes to run',
    );
    return children;
  }

  it("a same-uid lookalike with the daemon's words (python3 -c … --fbuild-daemon --state-dir=…) is not stopped", async () => {
    const sb = sandbox({ env: { FBUILD_DAEMON_SELFCHECK_MS: '3600000' } });
    const home = tmp();
    const owner = (await sb.ensure()).identity.pid;
    const [fake] = await lookalikes(home, { ...sb.env, HOME: home }, ['--fbuild-daemon', `--state-dir=${sb.stateDir}`]);
    const fixed = doctor(sb.stateDir, home, '--fix');
    expect(fixed.stops).toEqual([]);
    expect(duplicatesOf(fixed, [owner, fake!.pid])).toEqual([]);
    expect(isAlive(fake!.pid!)).toBe(true);
    expect(isAlive(owner)).toBe(true);
  });

  it("two python3 -c … -m fbuild.daemon.daemon (the module is -c's argument, not run) are no fbuild daemons", async () => {
    const home = tmp();
    const state = join(tmp(), 'state');
    const args = ['-m', 'fbuild.daemon.daemon', '--spawned-by=1'];
    const fakes = await lookalikes(home, { ...process.env, HOME: home }, args, args);
    const fixed = doctor(state, home, '--fix');
    expect(fixed.stops).toEqual([]);
    expect(
      duplicatesOf(
        fixed,
        fakes.map((f) => f.pid),
      ),
    ).toEqual([]);
    for (const f of fakes) expect(isAlive(f.pid!), `lookalike pid ${f.pid}`).toBe(true);
  });
});
