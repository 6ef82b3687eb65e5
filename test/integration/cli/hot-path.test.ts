// The commander-free path of the hot daemon commands (src/cli/hot.ts) behaves exactly like the commander path
// for the same command: same exit codes, same --json documents. Command lines it does not take — a global
// option first, bad flags, other commands — still reach commander and keep their usage errors.
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { stopDaemon } from '../../../src/daemon/client/stop.js';
import { checkIdentity } from '../../../src/process/index.js';
import { runFbuild } from '../../helpers/cli.js';
import { tempDirs } from '../../helpers/tmp.js';

const newDir = tempDirs('fbuild-hot-');
const started: Array<{ dir: string; pid: number; startTime: string | null }> = [];

afterEach(async () => {
  for (const d of started.splice(0)) {
    await stopDaemon({ stateDir: d.dir, force: true, deadlineMs: 5_000 }).catch(() => {});
    if (checkIdentity(d).status === 'alive') process.kill(d.pid, 'SIGKILL');
  }
});

describe('fbuild hot path', () => {
  it('status, start and stop answer the same with and without commander', () => {
    const dir = join(newDir(), 'd');
    // `--state-dir D daemon …` is not a hot command line: it is routed through commander
    const viaCommander = (...args: string[]) => runFbuild(dir, ['--state-dir', dir, ...args]);
    const hot = (...args: string[]) => runFbuild(dir, args);

    const none = [hot('daemon', 'status', '--json'), viaCommander('daemon', 'status', '--json')];
    for (const r of none) expect(r.code).toBe(3);
    expect(none[0]!.json).toEqual(none[1]!.json);

    const s = hot('daemon', 'start', '--json', '--deadline', '15000');
    expect(s.code, s.stderr).toBe(0);
    const id = s.json.daemon as { pid: number; startTime: string | null; nonce: string };
    started.push({ dir, pid: id.pid, startTime: id.startTime });
    expect(viaCommander('daemon', 'start', '--json').json).toMatchObject({
      started: false,
      daemon: { nonce: id.nonce },
    });

    const [a, b] = [hot('daemon', 'status', '--json'), viaCommander('daemon', 'status', '--json')];
    expect(a.code).toBe(0);
    expect(b.code).toBe(0);
    expect(a.json).toMatchObject({ running: true, daemon: { pid: id.pid, nonce: id.nonce } });
    expect(b.json).toMatchObject({ running: true, daemon: { pid: id.pid, nonce: id.nonce } });
    expect(hot('daemon', 'status').stdout).toMatch(new RegExp(`^fbuild daemon: ready — pid ${id.pid}`));

    const stop = hot('daemon', 'stop', '--json', '--deadline=10000');
    expect(stop.code).toBe(0);
    expect(stop.json).toMatchObject({ stopped: true, pid: id.pid });
  });

  it('command lines the hot path does not take keep commander’s usage errors and help', () => {
    const dir = join(newDir(), 'd');
    const bogus = runFbuild(dir, ['daemon', 'status', '--bogus']);
    expect(bogus.code).toBe(2);
    expect(bogus.stderr).toMatch(/unknown option '--bogus'/);
    const badDeadline = runFbuild(dir, ['daemon', 'status', '--deadline', 'soon']);
    expect(badDeadline.code).toBe(2);
    expect(badDeadline.stderr).toMatch(/positive number of milliseconds/);
    const help = runFbuild(dir, ['daemon', 'status', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/Usage: fbuild daemon status/);
    expect(runFbuild(dir, ['no-such-command']).code).toBe(2);
  });
});
