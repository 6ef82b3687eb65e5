// What the new faults of issue 18 stand on, on real processes and files: the product they drive (this build, or
// another build's CLI named by FBUILD_RIG_PRODUCT — how they are shown red against an older commit), the process
// tree they read an uploader's forked children from, and the rig's one wait with a probe that is itself async.
import { type ChildProcess, spawn } from 'node:child_process';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { killAndWait } from '../../../../harness/engine/kill.js';
import { until } from '../../../../harness/engine/until.js';
import { descendantsOf, stillRunning } from '../../../../harness/faults/support/descendants.js';
import { unreadableByOtherUser } from '../../../../harness/faults/support/privileges.js';
import { productCliFor } from '../../../../harness/faults/support/product.js';
import { cliEntry } from '../../../../src/paths.js';
import { otherUidUnavailable } from '../../../helpers/other-uid.js';
import { tempDirs } from '../../../helpers/tmp.js';

const tmp = tempDirs('fbuild-faults-support-');

describe('the product a fault drives', () => {
  it("is this build's CLI, or the CLI of the build FBUILD_RIG_PRODUCT names — refused when that is not built", () => {
    expect(productCliFor({})).toBe(cliEntry());
    expect(productCliFor({ FBUILD_RIG_PRODUCT: '' })).toBe(cliEntry());
    const other = tmp();
    expect(() => productCliFor({ FBUILD_RIG_PRODUCT: other })).toThrow(/FBUILD_RIG_PRODUCT=.*node scripts\/build\.mjs/);
    mkdirSync(join(other, 'dist', 'bin'), { recursive: true });
    // a build from before the CLI was bundled as CommonJS
    writeFileSync(join(other, 'dist', 'bin', 'fbuild.mjs'), '');
    expect(productCliFor({ FBUILD_RIG_PRODUCT: other })).toBe(join(other, 'dist', 'bin', 'fbuild.mjs'));
    writeFileSync(join(other, 'dist', 'bin', 'fbuild.cjs'), '');
    expect(productCliFor({ FBUILD_RIG_PRODUCT: other })).toBe(join(other, 'dist', 'bin', 'fbuild.cjs'));
  });
});

describe('descendants of a process', () => {
  it.skipIf(process.platform !== 'linux')(
    'finds a forked grandchild, and still finds it by pid and start time once its parent is killed',
    async () => {
      const shell: ChildProcess = spawn('sh', ['-c', 'sleep 300 & wait'], { stdio: 'ignore' });
      const tree = () => descendantsOf(process.pid).filter((d) => d.pid === shell.pid || d.argv[0] === 'sleep');
      try {
        expect(await until(() => tree().some((d) => d.argv[0] === 'sleep'), 30_000)).toBe(true);
        const seen = tree();
        expect(seen.map((d) => d.pid)).toContain(shell.pid);
        await killAndWait([shell.pid!], 0, 'SIGKILL');
        const left = stillRunning(seen);
        expect(left.map((d) => d.argv)).toEqual([['sleep', '300']]);
        await killAndWait([left[0]!.pid], 0, 'SIGKILL');
        expect(stillRunning(seen)).toEqual([]);
      } finally {
        await killAndWait(
          stillRunning(tree()).map((d) => d.pid),
          0,
          'SIGKILL',
        );
      }
    },
  );
});

describe('until', () => {
  it('awaits an async probe: it holds once the probe resolves true, and times out on one that never does', async () => {
    let calls = 0;
    expect(await until(async () => ++calls === 3, 30_000, 1)).toBe(true);
    expect(calls).toBe(3);
    expect(await until(async () => false, 50, 10)).toBe(false);
  });
});

describe('what another user can reach', () => {
  it('a file in a directory closed to others is out of uid 65534’s reach, the same file in an open one is not', (t) => {
    const why = otherUidUnavailable();
    if (why) return t.skip(why);
    const file = (mode: number) => {
      const dir = tmp(); // mkdtemp: 0700
      chmodSync(dir, mode);
      const path = join(dir, 'program.js');
      writeFileSync(path, '', { mode: 0o644 });
      return path;
    };
    expect(unreadableByOtherUser(file(0o700))).toMatch(
      /^uid 65534 cannot read .*program\.js \(EACCES\): a directory above it/,
    );
    expect(unreadableByOtherUser(file(0o755))).toBeNull();
  });
});
