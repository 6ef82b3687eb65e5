// Portable scanner on ps-list (~100 ms a call on Linux; on Windows it sees no command lines at all, so a
// Windows census must lean on owner records and the event log).
import psList from 'ps-list';
import type { DaemonSignature } from '../engine/strategy.js';
import { matchesSignature } from './parse.js';
import type { FoundProcess, ProcessScanner } from './types.js';

/**
 * `environOf` reads a process's environment where the platform can (Linux /proc), else returns null and the
 * command-line regex alone decides; census/index.ts chooses it.
 */
export function psListScanner(environOf: (pid: number) => Map<string, string> | null): ProcessScanner {
  return {
    source: 'ps-list',
    async scan(sig: DaemonSignature): Promise<FoundProcess[]> {
      const found: FoundProcess[] = [];
      for (const p of await psList({ all: false })) {
        if (p.cmd === undefined || p.pid === process.pid) continue;
        if (!matchesSignature(sig, p.cmd.split(' '), () => environOf(p.pid))) continue;
        found.push({ pid: p.pid, cmd: p.cmd.slice(0, 400), startTime: null });
      }
      return found;
    },
  };
}
