import { chmodSync, chownSync, mkdirSync, mkdtempSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  defaultStateDir,
  ensureStateDir,
  resolveStateDir,
  stateFiles,
} from '../../../../src/daemon/shared/state-dir.js';
import { FbuildError } from '../../../../src/errors.js';
import { symlinksVisible } from '../../../helpers/symlinks.js';

let root: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'fbuild-statedir-'));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

const posix = process.platform !== 'win32';
const isRoot = posix && process.getuid?.() === 0;

function refusal(fn: () => void): FbuildError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(FbuildError);
    return err as FbuildError;
  }
  throw new Error('expected a refusal');
}

describe('state directory location', () => {
  it('FBUILD_DAEMON_DIR wins and is made absolute; otherwise the per-user default', () => {
    expect(resolveStateDir({ FBUILD_DAEMON_DIR: 'rel/dir' })).toBe(resolve('rel/dir'));
    expect(resolveStateDir({ FBUILD_DAEMON_DIR: '/x/y' })).toBe(resolve('/x/y'));
    expect(resolveStateDir({ FBUILD_DAEMON_DIR: '' })).toBe(defaultStateDir({}));
    // never a directory another fbuild release uses: ~/.fbuild/daemon (Python 1.3.x), ~/.fbuild/{prod,dev}/daemon
    if (posix) expect(defaultStateDir({})).toBe(join(homedir(), '.fbuild', 'kit', 'daemon'));
    else expect(defaultStateDir({ LOCALAPPDATA: 'C:\\L' })).toBe('C:\\L\\fbuild\\kit\\daemon');
  });

  it('stateFiles joins the fixed names', () => {
    const f = stateFiles('/s');
    expect(f).toEqual({
      owner: join('/s', 'owner.json'),
      spawnLock: join('/s', 'spawn.lock'),
      secret: join('/s', 'secret'),
      status: join('/s', 'status.json'),
      log: join('/s', 'daemon.log'),
      idempotency: join('/s', 'requests/'),
      cache: join('/s', 'cache/'),
    });
  });
});

describe('ensureStateDir', () => {
  it('creates missing directories with mode 0700 and accepts them again', () => {
    const dir = join(root, 'a', 'b', 'daemon');
    ensureStateDir(dir);
    if (posix) expect(statSync(dir).mode & 0o777).toBe(0o700);
    ensureStateDir(dir);
  });

  it.skipIf(!posix).each([0o755, 0o777, 0o750, 0o701])('refuses an existing directory with mode %o', (mode) => {
    const dir = join(root, 'daemon');
    mkdirSync(dir);
    chmodSync(dir, mode);
    const err = refusal(() => ensureStateDir(dir));
    expect(err.code).toBe('STATE_DIR_UNSAFE');
    expect(err.message).toContain(dir);
    expect(err.message).toContain(`0${mode.toString(8)}`);
    expect(err.message).toContain(`uid ${process.getuid!()}`);
    expect(err.message).toContain(`chmod 700 '${dir}'`);
    expect(err.details).toMatchObject({ dir, reason: 'mode' });
  });

  it.skipIf(!symlinksVisible())('refuses a symlinked directory, even one pointing at a safe directory', () => {
    const real = join(root, 'real');
    mkdirSync(real, { mode: 0o700 });
    const link = join(root, 'daemon');
    symlinkSync(real, link, 'dir');
    const err = refusal(() => ensureStateDir(link));
    expect(err.code).toBe('STATE_DIR_UNSAFE');
    expect(err.message).toContain('symbolic link');
    expect(err.message).toContain(link);
  });

  it.skipIf(!isRoot)('refuses a directory owned by another user (names both uids)', () => {
    const dir = join(root, 'daemon');
    mkdirSync(dir, { mode: 0o700 });
    chownSync(dir, 12345, 12345);
    const err = refusal(() => ensureStateDir(dir));
    expect(err.code).toBe('STATE_DIR_UNSAFE');
    expect(err.message).toContain('uid 12345');
    expect(err.message).toContain('uid 0');
    expect(err.details).toMatchObject({ reason: 'owner', ownerUid: 12345 });
  });

  it.skipIf(!posix)('refuses a directory whose parent anyone may write to, unless the parent is sticky', () => {
    const parent = join(root, 'open');
    mkdirSync(parent);
    chmodSync(parent, 0o777);
    const err = refusal(() => ensureStateDir(join(parent, 'daemon')));
    expect(err.code).toBe('STATE_DIR_UNSAFE');
    expect(err.details).toMatchObject({ reason: 'parent', parent });
    chmodSync(parent, 0o1777); // like /tmp
    ensureStateDir(join(parent, 'daemon'));
  });

  it('reports a path that cannot be a directory as STATE_DIR_UNWRITABLE', () => {
    const file = join(root, 'file');
    writeFileSync(file, '');
    const under = refusal(() => ensureStateDir(join(file, 'daemon')));
    expect(under.code).toBe('STATE_DIR_UNWRITABLE');
    expect(under.message).toContain(join(file, 'daemon'));
    expect(refusal(() => ensureStateDir(file)).code).toBe('STATE_DIR_UNWRITABLE');
  });

  it.skipIf(!posix || isRoot)('reports a read-only directory as STATE_DIR_UNWRITABLE', () => {
    const dir = join(root, 'daemon');
    mkdirSync(dir);
    chmodSync(dir, 0o500);
    expect(refusal(() => ensureStateDir(dir)).code).toBe('STATE_DIR_UNWRITABLE');
    chmodSync(dir, 0o700);
  });
});
