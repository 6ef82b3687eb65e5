// The state directory (DESIGN §4): ours alone, 0700, not a symlink, writable, room left; the secret file
// private; the log a plain file; and no other fbuild release's daemon files in it.
import { accessSync, constants, lstatSync, type Stats, statfsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { readSecret } from '../../daemon/shared/protocol/secret.js';
import { errnoCode, isFbuildError } from '../../errors.js';
import { privacyProblem } from '../../fsutil/privacy.js';
import { foreignFilesIn } from '../foreign/layouts.js';
import { type Finding, finding } from '../types.js';
import type { Check } from './check.js';
import { logFileFindings } from './log-file.js';

const LOW_SPACE_BYTES = 100 * 1024 * 1024;
const LOW_INODES = 1_000;

function gib(bytes: number): string {
  return bytes >= 1024 ** 3 ? `${(bytes / 1024 ** 3).toFixed(1)} GiB` : `${Math.round(bytes / 1024 ** 2)} MiB`;
}

function space(dir: string, findings: Finding[]): string {
  try {
    const s = statfsSync(dir);
    const free = s.bavail * s.bsize;
    if (free < LOW_SPACE_BYTES || (s.files > 0 && s.ffree < LOW_INODES)) {
      findings.push(
        finding('DISK_SPACE_LOW', `only ${gib(free)} and ${s.ffree} inodes free where the daemon keeps its state`, {
          evidence: [`${dir}: ${free} bytes free of ${s.blocks * s.bsize}, ${s.ffree} inodes free`],
          fix: 'free some space on that file system (the daemon cannot write its records without it)',
        }),
      );
    }
    return `${gib(free)} free`;
  } catch {
    return 'free space unknown';
  }
}

function secretFindings(path: string): Finding[] {
  try {
    readSecret(path);
    return [];
  } catch (err) {
    if (isFbuildError(err, 'STATE_DIR_UNSAFE')) {
      return [
        finding('SECRET_UNSAFE', `the handshake secret ${path} is not private`, {
          evidence: [err.message],
          fix: `chmod 600 ${path}`,
        }),
      ];
    }
    if (isFbuildError(err, 'SECRET_CORRUPT')) {
      return [
        finding('SECRET_CORRUPT', `the handshake secret ${path} is malformed`, {
          evidence: [err.message],
          fix: 'fbuild daemon restart (the next daemon replaces it)',
        }),
      ];
    }
    throw err;
  }
}

export const stateDirCheck: Check = {
  id: 'state-dir',
  title: 'state directory',
  run(ctx) {
    const dir = ctx.config.stateDir;
    const findings: Finding[] = [];
    let st: Stats;
    try {
      st = lstatSync(dir);
    } catch (err) {
      if (errnoCode(err) !== 'ENOENT') {
        return {
          summary: '',
          findings: [
            finding('STATE_DIR_UNWRITABLE', `${dir} cannot be inspected (${errnoCode(err)})`, {
              evidence: [String(err)],
            }),
          ],
        };
      }
      // nothing there yet: fine if a daemon could create it
      const summary = `${dir} does not exist yet (created on the first start)`;
      try {
        accessSync(nearestExisting(dirname(dir)), constants.W_OK | constants.X_OK);
      } catch {
        findings.push(
          finding('STATE_DIR_UNWRITABLE', `${dir} cannot be created: its parent is not writable`, {
            fix: `create it yourself: mkdir -m 700 -p ${dir}`,
          }),
        );
      }
      return { summary, findings };
    }
    if (st.isSymbolicLink() || !st.isDirectory()) {
      const what = st.isSymbolicLink() ? 'a symbolic link' : 'not a directory';
      findings.push(
        finding('STATE_DIR_UNSAFE', `${dir} is ${what}`, {
          evidence: [`lstat: mode 0${(st.mode & 0o777).toString(8)}`],
          fix: `move it aside and let the next start create a real directory, or point FBUILD_DAEMON_DIR elsewhere`,
        }),
      );
      return { summary: '', findings };
    }
    const problem = privacyProblem(st);
    if (problem?.kind === 'owner') {
      findings.push(
        finding('STATE_DIR_UNSAFE', `${dir} belongs to uid ${problem.ownerUid}, not to you (uid ${problem.uid})`, {
          evidence: [`mode ${problem.mode}`],
          fix: 'use a state directory of your own (FBUILD_DAEMON_DIR)',
        }),
      );
    } else if (problem?.kind === 'mode') {
      findings.push(
        finding('STATE_DIR_UNSAFE', `${dir} is open to group/others (mode ${problem.mode})`, {
          evidence: [`owner uid ${problem.ownerUid}`],
          fix: `chmod 700 ${dir}`,
        }),
      );
    }
    try {
      accessSync(dir, constants.W_OK | constants.X_OK);
    } catch (err) {
      findings.push(
        finding('STATE_DIR_UNWRITABLE', `${dir} is not writable (${errnoCode(err)})`, {
          fix: `chmod u+rwx ${dir}, or check that its file system is not mounted read-only`,
        }),
      );
    }
    const foreign = foreignFilesIn(dir);
    if (foreign.length > 0) {
      findings.push(
        finding('STATE_DIR_FOREIGN', `${dir} holds another fbuild release's daemon files`, {
          evidence: foreign.map((f) => join(dir, f)),
          fix: 'point FBUILD_DAEMON_DIR at a directory of its own (the default is one no other fbuild release uses); those files are left alone',
        }),
      );
    }
    findings.push(...secretFindings(ctx.config.files.secret), ...logFileFindings(ctx.config.files.log));
    const mode = `0${(st.mode & 0o777).toString(8)}`;
    return { summary: `${dir} (${mode}, yours, ${space(dir, findings)})`, findings };
  },
};

function nearestExisting(path: string): string {
  for (let p = path; ; p = dirname(p)) {
    try {
      lstatSync(p);
      return p;
    } catch {
      if (dirname(p) === p) return p;
    }
  }
}
