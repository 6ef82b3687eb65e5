// Building blocks for a round's workspace: files from a fixture, a git repository, a node_modules tree of
// hard links to the cached install (a project of its own, so a daemon that keys its state on where its
// package lives — eslint_d writes `.eslint_d` beside eslint — gets a fresh place every round).
import { execFileSync } from 'node:child_process';
import { copyFileSync, cpSync, linkSync, mkdirSync, readdirSync, readlinkSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../../src/paths.js';

/** Copy a folder of fixtures/targets/ into the workspace. */
export function copyFixture(name: string, ws: string): void {
  cpSync(join(projectRoot, 'fixtures', 'targets', name), ws, { recursive: true });
}

/** `git init` and one commit, as a real project has (Nx hashes tracked files). */
export function gitInit(ws: string, env: NodeJS.ProcessEnv): void {
  const git = (...args: string[]): void => {
    execFileSync(
      'git',
      ['-c', 'user.email=rig@localhost', '-c', 'user.name=rig', '-c', 'init.defaultBranch=main', ...args],
      { cwd: ws, env, stdio: 'ignore' },
    );
  };
  git('init', '-q', '.');
  git('add', '-A');
  git('commit', '-q', '-m', 'workspace');
}

/** Mirror `src` at `dst` with hard links (a copy where links are refused: another filesystem). */
export function linkTree(src: string, dst: string): void {
  mkdirSync(dst, { recursive: true });
  for (const e of readdirSync(src, { withFileTypes: true })) {
    const from = join(src, e.name);
    const to = join(dst, e.name);
    if (e.isDirectory()) linkTree(from, to);
    else if (e.isSymbolicLink()) symlinkSync(readlinkSync(from), to);
    else {
      try {
        linkSync(from, to);
      } catch {
        copyFileSync(from, to);
      }
    }
  }
}
