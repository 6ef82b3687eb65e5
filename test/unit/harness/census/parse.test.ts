import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { matchesSignature } from '../../../../harness/census/parse.js';
import { scanProcSync } from '../../../../harness/census/proc.js';
import { killAndWait } from '../../../../harness/engine/kill.js';
import { isAlive } from '../../../../src/lock/identity/liveness.js';
import { splitCmdline } from '../../../../src/lock/identity/proc-cmdline.js';
import { parseEnviron } from '../../../../src/lock/identity/proc-environ.js';

describe('census parsing', () => {
  it('splits /proc cmdline and environ', () => {
    expect(splitCmdline('node\0/x/main.js\0--fbuild-daemon\0--state-dir=/tmp/a b\0')).toEqual([
      'node',
      '/x/main.js',
      '--fbuild-daemon',
      '--state-dir=/tmp/a b',
    ]);
    expect(splitCmdline('')).toEqual([]);
    expect(parseEnviron('A=1\0FBUILD_RIG_ROUND=r-1=x\0\0').get('FBUILD_RIG_ROUND')).toBe('r-1=x');
  });

  it('matches argv markers as whole arguments, not prefixes', () => {
    const sig = { kind: 'argv' as const, markers: ['--fbuild-daemon', '--state-dir=/tmp/fbr-abc'] };
    const none = () => null;
    expect(matchesSignature(sig, ['node', 'main.js', '--fbuild-daemon', '--state-dir=/tmp/fbr-abc'], none)).toBe(true);
    expect(matchesSignature(sig, ['node', 'main.js', '--fbuild-daemon', '--state-dir=/tmp/fbr-abcd'], none)).toBe(
      false,
    );
    expect(matchesSignature(sig, ['node', 'main.js', '--state-dir=/tmp/fbr-abc'], none)).toBe(false);
  });

  it('matches external daemons by regex and the round marker in their environment', () => {
    const sig = {
      kind: 'external' as const,
      regex: 'naive_daemon\\.py serve',
      envKey: 'FBUILD_RIG_ROUND',
      envValue: 'run-r1',
    };
    const argv = ['python3', '/f/naive_daemon.py', 'serve'];
    expect(matchesSignature(sig, argv, () => new Map([['FBUILD_RIG_ROUND', 'run-r1']]))).toBe(true);
    expect(matchesSignature(sig, argv, () => new Map([['FBUILD_RIG_ROUND', 'run-r2']]))).toBe(false);
    expect(
      matchesSignature(
        sig,
        ['python3', '/f/naive_daemon.py', 'client'],
        () => new Map([['FBUILD_RIG_ROUND', 'run-r1']]),
      ),
    ).toBe(false);
  });

  it.runIf(process.platform === 'linux')(
    'finds a live process by signature in /proc and loses it once killed',
    async () => {
      const marker = `--rig-census-test=${process.pid}-${Date.now()}`;
      const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 30000)', '--', marker], { stdio: 'ignore' });
      try {
        const sig = { kind: 'argv' as const, markers: [marker] };
        let found = scanProcSync(sig);
        // until the child has exec'd (its argv shows in /proc); 10 s is only a hang guard on a loaded machine
        for (let i = 0; i < 1000 && found.length === 0; i++) {
          await new Promise((r) => setTimeout(r, 10));
          found = scanProcSync(sig);
        }
        expect(found.map((p) => p.pid)).toEqual([child.pid]);
        expect(found[0]!.startTime).toMatch(/^\d+$/);
        await killAndWait([child.pid!], 0);
        expect(isAlive(child.pid!)).toBe(false);
        expect(scanProcSync(sig)).toEqual([]);
      } finally {
        child.kill('SIGKILL');
      }
    },
  );
});
