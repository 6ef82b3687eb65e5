// A rig temp directory that cannot be removed at once (under Windows: a just-killed daemon's files or working
// directory still busy) is not lost track of: it is tried again when the run ends, and only named on stderr if it
// cannot go then either. Made unremovable here for real: an immutable file inside (EPERM on unlink, even for root;
// needs CAP_LINUX_IMMUTABLE and a file system with inode flags, elsewhere these tests are skipped).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { removeDeferred, removeTree } from '../../../../harness/engine/remove-tree.js';
import { tempDirs } from '../../../helpers/tmp.js';

const newDir = tempDirs('fbuild-remove-tree-');
const pinned: string[] = [];

function chattr(flag: '+i' | '-i', file: string): boolean {
  try {
    execFileSync('chattr', [flag, file], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** a directory holding a file that cannot be unlinked until unpin() */
function pinnedTree(): { dir: string; unpin: () => void } {
  const dir = join(newDir(), 'state');
  mkdirSync(dir);
  const file = join(dir, 'daemon.log');
  writeFileSync(file, 'x');
  if (!chattr('+i', file)) throw new Error('chattr +i failed');
  pinned.push(file);
  return { dir, unpin: () => void chattr('-i', file) };
}

const chattrWorks = (() => {
  try {
    pinnedTree().unpin();
    return true;
  } catch {
    return false;
  }
})();

afterEach(() => {
  for (const f of pinned.splice(0)) chattr('-i', f);
  removeDeferred(); // nothing of one test carried into the next
  vi.restoreAllMocks();
});

describe.skipIf(!chattrWorks)('removeTree', () => {
  it('defers a directory it cannot remove, and removes it when the run ends', () => {
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const { dir, unpin } = pinnedTree();
    removeTree(dir);
    expect(existsSync(dir)).toBe(true);
    expect(stderr).not.toHaveBeenCalled();
    unpin(); // the teardown that kept it busy is over
    removeDeferred();
    expect(existsSync(dir)).toBe(false);
    expect(stderr).not.toHaveBeenCalled();
  });

  it('names on stderr, once, what still cannot go when the run ends', () => {
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const { dir } = pinnedTree();
    removeTree(dir);
    removeDeferred();
    expect(existsSync(dir)).toBe(true);
    expect(stderr).toHaveBeenCalledTimes(1);
    expect(String(stderr.mock.calls[0]?.[0])).toMatch(/^harness: could not remove .*state \(left in place\): \w+/);
    removeDeferred();
    expect(stderr).toHaveBeenCalledTimes(1);
  });

  it('removes at once what nothing holds', () => {
    const dir = join(newDir(), 'state');
    mkdirSync(dir);
    writeFileSync(join(dir, 'owner.json'), '{}');
    removeTree(dir);
    expect(existsSync(dir)).toBe(false);
  });
});
