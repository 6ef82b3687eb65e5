// daemon.log is appended to, by the daemon and as its stdout/stderr, so it is opened as a state file to append
// to (fsutil/open-append.ts): a symlink, FIFO, directory, device or a file with other hard links there is
// refused — a client will not start a daemon (exit 5), and a running daemon writes its lines to its stderr
// instead. Doctor names it; --fix moves it aside, after which the next daemon starts a fresh log.
import { lstatSync } from 'node:fs';
import { describeKind } from '../../fsutil/refusals.js';
import { type Finding, finding } from '../types.js';

export function logFileFindings(path: string): Finding[] {
  let st: ReturnType<typeof lstatSync>;
  try {
    st = lstatSync(path);
  } catch {
    return []; // none yet: the first start creates it
  }
  if (st.isFile() && st.nlink === 1) return [];
  const what = st.isFile() ? `a file with ${st.nlink} hard links` : describeKind(st);
  return [
    finding('LOG_FILE_UNSAFE', `${path} is ${what}: no daemon starts here while it is (appends are refused)`, {
      evidence: [
        `${path}: ${what}${st.isFile() ? ' — an append would land in every other name of that file too' : ''}`,
      ],
      fix: 'fbuild doctor --fix (moves it aside, kept as evidence; the next daemon starts a fresh log)',
      actions: [{ kind: 'move-aside', path, why: `${what} where the daemon log belongs`, hardLinked: st.isFile() }],
    }),
  ];
}
