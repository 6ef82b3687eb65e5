// What someone (or something) may leave in the state directory where a state file belongs: a FIFO, a
// directory, a symbolic link. Every command ends promptly with a coded error naming the path (exit 5),
// never hangs on a FIFO, never follows a symlink, never prints a stack trace. The real `fbuild` binary.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runFbuild } from '../../helpers/cli.js';
import { tempDirs } from '../../helpers/tmp.js';

const newDir = tempDirs('fbuild-statefiles-');

function stateDir(): string {
  const d = join(newDir(), 'd');
  mkdirSync(d, { mode: 0o700 });
  return d;
}

const mkfifo = (path: string) => execFileSync('mkfifo', ['-m', '600', path]);

describe('a FIFO, directory or symlink where a state file belongs', () => {
  it.each(['owner.json', 'spawn.lock', 'daemon.log'])(
    'a FIFO as %s: start exits 5 with STATE_FILE_NOT_REGULAR instead of hanging',
    (name) => {
      const d = stateDir();
      mkfifo(join(d, name));
      const r = runFbuild(d, ['daemon', 'start', '--deadline', '5000']);
      expect(r.code, `hung or failed otherwise: ${r.stderr}`).toBe(5);
      expect(r.stderr).toMatch(new RegExp(`${name}.*FIFO.*\\[STATE_FILE_NOT_REGULAR\\]`));
    },
  );

  it('a FIFO as owner.json: status exits 5 too', () => {
    const d = stateDir();
    mkfifo(join(d, 'owner.json'));
    const r = runFbuild(d, ['daemon', 'status', '--deadline', '3000']);
    expect([3, 5], r.stderr).toContain(r.code); // nothing listens: "not running" is also true; never a hang
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('owner.json as a directory: start exits 5, coded, not a raw EISDIR', () => {
    const d = stateDir();
    mkdirSync(join(d, 'owner.json'));
    const r = runFbuild(d, ['daemon', 'start', '--deadline', '5000', '--json']);
    expect(r.code).toBe(5);
    expect(r.json.error.code).toBe('STATE_FILE_NOT_REGULAR');
    expect(r.json.error.message).toMatch(/owner\.json is a directory/);
  });

  it('daemon.log as a symbolic link: refused, and the file it points to is untouched', () => {
    const d = stateDir();
    const target = join(newDir(), 'elsewhere.txt');
    writeFileSync(target, 'precious\n');
    symlinkSync(target, join(d, 'daemon.log'));
    const r = runFbuild(d, ['daemon', 'start', '--deadline', '5000']);
    expect(r.code).toBe(5);
    expect(r.stderr).toMatch(/\[STATE_FILE_SYMLINK\]/);
    expect(readFileSync(target, 'utf8')).toBe('precious\n');
  });

  it('logs: daemon.log as a directory exits 5 with its code, no stack trace; a bad -n exits 2', () => {
    const d = stateDir();
    mkdirSync(join(d, 'daemon.log'));
    const r = runFbuild(d, ['daemon', 'logs']);
    expect(r.code).toBe(5);
    expect(r.stderr).toMatch(/daemon\.log is a directory.*\[STATE_FILE_NOT_REGULAR\]/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    for (const bad of ['abc', '-3', '1.5', '1e9'])
      expect(runFbuild(d, ['daemon', 'logs', '-n', bad]).code, bad).toBe(2);
  });

  it('logs: prints the last lines of a large log without reading all of it', () => {
    const d = stateDir();
    const line = `${'x'.repeat(99)}\n`;
    writeFileSync(join(d, 'daemon.log'), `${line.repeat(50_000)}last line\n`); // 5 MB
    const r = runFbuild(d, ['daemon', 'logs', '-n', '2']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`${line}last line\n`);
  });
});
