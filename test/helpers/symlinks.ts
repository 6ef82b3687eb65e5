// Can this machine's lstat() tell a symbolic link from its target? Real Windows can (a reparse point), and
// POSIX can; under Wine it cannot: a Unix symlink on drive Z: looks like the file it points to, so nothing
// there can refuse one. Symlink-refusal tests skip where the platform cannot show a symlink at all.
import { lstatSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

let visible: boolean | undefined;

export function symlinksVisible(): boolean {
  if (visible === undefined) {
    const dir = mkdtempSync(join(tmpdir(), 'fbuild-symlink-probe-'));
    try {
      writeFileSync(join(dir, 'target'), '');
      symlinkSync(join(dir, 'target'), join(dir, 'link'));
      visible = lstatSync(join(dir, 'link')).isSymbolicLink();
    } catch {
      visible = false; // no privilege to create one (Windows without developer mode)
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  return visible;
}
