// Uploader mode against a real daemon and a real pseudo-terminal: the uploader and everything it forks is ended
// as a group — when its client goes away, when the daemon stops, and when it exits leaving a background job —
// and the port and image names reach it as values whatever the template's quoting.
import { existsSync, readFileSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isAlive } from '../../../src/process/index.js';
import { runFbuild } from '../../helpers/cli.js';
import { daemonSandboxes, daemonsAlive, waitFor } from '../../helpers/daemon.js';
import { serialProcesses, writeImage } from '../../helpers/serial.js';

const sandbox = daemonSandboxes('fbuild-serial-up-');
const serial = serialProcesses();

/** an uploader that forks: a child holding the port open, its pid written to `pidFile`, then waits for it */
const forking = (pidFile: string, wait: boolean) =>
  `sleep 120 < {port} & echo $! > ${pidFile}; ${wait ? 'wait; ' : ''}echo {image}`;

const childPid = (pidFile: string) =>
  existsSync(pidFile) && /^\d+\n$/.test(readFileSync(pidFile, 'utf8')) && Number(readFileSync(pidFile, 'utf8'));

const held = (stateDir: string) => runFbuild(stateDir, ['ports', '--json']).json.held as unknown[];

describe('serial deploy: the uploader as a process group', () => {
  it('client gone: the whole group is ended (its forked child too), the lease released, the next deploy gets the port', async () => {
    const box = sandbox();
    const dir = join(box.stateDir, '..');
    const dev = await serial.device(join(dir, 'tty'));
    const img = writeImage(dir, 2_000);
    const pidFile = join(dir, 'child.pid');
    const up = serial.fbuild(box.stateDir, ['deploy', img, '--port', dev.link, '--uploader', forking(pidFile, true)]);
    const child = await waitFor(() => childPid(pidFile), 30_000, 'the uploader to fork');
    expect(held(box.stateDir)).toMatchObject([{ writer: { mode: 'uploader' } }]);
    up.child.kill('SIGKILL');
    await up.exit();
    // SIGTERM to the group, then (2 s on) SIGKILL: bounded by that, whatever the load
    await waitFor(() => !isAlive(child), 30_000, `the uploader's child ${child} to be ended`);
    await waitFor(() => held(box.stateDir).length === 0, 30_000, 'the writer lease to be released');
    const next = runFbuild(box.stateDir, ['deploy', img, '--port', dev.link, '--wait', '30'], 120_000);
    expect(next.code, next.stderr).toBe(0);
  });

  it('an uploader that exits leaving a background job: the job is ended before the daemon reopens the port', async () => {
    const box = sandbox();
    const dir = join(box.stateDir, '..');
    const dev = await serial.device(join(dir, 'tty'), ['--tick-ms', '200']);
    const pidFile = join(dir, 'child.pid');
    const up = serial.fbuild(box.stateDir, [
      'deploy',
      writeImage(dir, 2_000),
      '--port',
      dev.link,
      '--uploader',
      forking(pidFile, false),
      '--boot',
      'fbsim: tick',
    ]);
    expect(await up.exit(60_000), up.stderr()).toBe(0);
    expect(isAlive(childPid(pidFile) as number)).toBe(false);
  });

  it('daemon stopped (SIGTERM) mid-upload: no process of the uploader outlives it', async () => {
    const box = sandbox();
    const dir = join(box.stateDir, '..');
    const dev = await serial.device(join(dir, 'tty'));
    const pidFile = join(dir, 'child.pid');
    const env = { ...process.env, FBUILD_DAEMON_SHUTDOWN_GRACE_MS: '300' };
    const up = serial.fbuild(
      box.stateDir,
      ['deploy', writeImage(dir, 2_000), '--port', dev.link, '--uploader', forking(pidFile, true)],
      env,
    );
    const child = await waitFor(() => childPid(pidFile), 30_000, 'the uploader to fork');
    const daemon = box.ownerRecord()!.pid as number;
    process.kill(daemon, 'SIGTERM');
    await waitFor(() => daemonsAlive(box.stateDir).length === 0, 30_000, 'the daemon to exit');
    await waitFor(() => !isAlive(child), 10_000, `the uploader's child ${child} to die with the daemon`);
    expect(await up.exit()).not.toBe(0);
  });
});

describe('serial deploy: --uploader placeholders are values, never command text', () => {
  it('a port and an image named with $(…), backquotes and quotes reach the uploader intact in every quoting style, and nothing in them runs', async () => {
    const box = sandbox();
    const dir = join(box.stateDir, '..');
    const dev = await serial.device(join(dir, 'tty'));
    const evil = `$(echo INJECTED >&2) \`echo TICKED >&2\` 'single' "double" $HOME`;
    const port = join(dir, `tty ${evil}`);
    symlinkSync(dev.link, port);
    const image = writeImage(dir, 100, `fw ${evil}.bin`);
    const out = join(dir, 'argv.txt');
    const styles: [string, string[]][] = [
      [`printf '%s\\n' {port} {image} > ${out}`, [port, image]],
      [`printf '%s\\n' "{port}" "{image}" > ${out}`, [port, image]],
      [`printf '%s\\n' '{port}' '{image}' > ${out}`, [port, image]],
      [
        `printf '%s\\n' --port={port} "--image={image}" '--both={port}:{image}' > ${out}`,
        [`--port=${port}`, `--image=${image}`, `--both=${port}:${image}`],
      ],
    ];
    for (const [template, argv] of styles) {
      const r = runFbuild(box.stateDir, ['deploy', image, '--port', port, '--uploader', template], 60_000);
      expect(r.code, `${template}: ${r.stderr}`).toBe(0);
      // what the uploader printed is streamed as "  | line": an injected echo would show there on its own
      expect(r.stderr).not.toMatch(/^ {2}\| (INJECTED|TICKED)$/m);
      expect(readFileSync(out, 'utf8'), template).toBe(`${argv.join('\n')}\n`);
    }
  });
});
