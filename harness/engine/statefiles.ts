// I5 evidence: read the round's state files (during sampling and at the end) and note any that do not parse.
import { closeSync, readSync } from 'node:fs';
import { join } from 'node:path';
import { monoNs } from '../../src/clock.js';
import { openStateFile } from '../../src/fsutil/open-state-file.js';
import type { StateFileSpec } from './strategy.js';

export interface StateFileProblem {
  file: string;
  /** mono ns string of the read */
  at: string;
  reason: string;
  /** first bytes, JSON-escaped by the report */
  sample: string;
}

export function judgeStateFile(kind: StateFileSpec['kind'], text: string): string | null {
  if (kind === 'pid')
    return /^\s*\d+\s*$/.test(text)
      ? null
      : text.length === 0
        ? 'empty pid file (read between truncate and write)'
        : 'pid file is not a decimal pid';
  if (text.length === 0) return 'empty file (read between truncate and write)';
  try {
    JSON.parse(text);
    return null;
  } catch (err) {
    return `does not parse as JSON: ${(err as Error).message}`;
  }
}

/**
 * `planted`: file name → the exact text a fault put there on purpose. That text is the fault's damage, not
 * a torn write by the product, so it is not a problem; anything else that does not parse is.
 */
export function checkStateFiles(
  stateDir: string,
  specs: readonly StateFileSpec[],
  planted?: ReadonlyMap<string, string>,
): StateFileProblem[] {
  const problems: StateFileProblem[] = [];
  for (const spec of specs) {
    const text = readStateText(join(stateDir, spec.name));
    if (text === null) continue; // absent, or not a file (a fault's FIFO or directory): nothing to judge
    if (planted?.get(spec.name) === text) continue;
    const reason = judgeStateFile(spec.kind, text);
    if (reason !== null) problems.push({ file: spec.name, at: monoNs().toString(), reason, sample: text.slice(0, 80) });
  }
  return problems;
}

/**
 * A state file's text, read the product's way (src/fsutil/open-state-file: a FIFO cannot block the rig, a
 * symlink is not followed); null when there is none, or something else than a regular file is there.
 */
export function readStateText(path: string): string | null {
  let opened: ReturnType<typeof openStateFile>;
  try {
    opened = openStateFile(path, 'read');
  } catch {
    return null;
  }
  if (opened.kind === 'missing') return null;
  try {
    const buf = Buffer.alloc(opened.stat.size);
    let n = 0;
    while (n < buf.length) {
      const r = readSync(opened.fd, buf, n, buf.length - n, n);
      if (r === 0) break;
      n += r;
    }
    return buf.subarray(0, n).toString('utf8');
  } finally {
    closeSync(opened.fd);
  }
}
