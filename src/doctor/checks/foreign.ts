// The other fbuild daemons users run beside ours (DESIGN §10): Python 1.3.x, Python 1.5.x and Rust 2.x.
// Reported, never adopted: `--fix` stops only duplicates it can prove are such a daemon of this user
// (executable and command line from /proc, uid, start time, re-checked right before the signal) and never touches
// their files.
import { basename, resolve } from 'node:path';
import { procFdTargets, readEnviron, socketInodes } from '../../process/index.js';
import type { DoctorContext } from '../context.js';
import { claimedPorts, pidFiles } from '../foreign/files.js';
import { foreignLayouts } from '../foreign/layouts.js';
import { type ListeningSocket, listeningSockets } from '../foreign/net-tcp.js';
import { duplicateKey, type ForeignKind, recogniseForeign } from '../foreign/recognise.js';
import { describeProcess, type ProcInfo } from '../processes.js';
import { type Finding, finding } from '../types.js';
import type { Check } from './check.js';
import { stopAction } from './daemons.js';

type Foreign = ProcInfo & { kind: ForeignKind };

export const FOREIGN_SIGNATURE_PREFIX = 'foreign:';

/** The process (among those whose fds we can read) holding a listening socket's inode. */
function holderOf(sock: ListeningSocket, procs: ProcInfo[]): ProcInfo | null {
  for (const p of procs) {
    const fds = procFdTargets(p.pid);
    if (fds !== null && socketInodes(fds).has(sock.inode)) return p;
  }
  return null;
}

function duplicates(found: Foreign[], named: Set<number>): Finding[] {
  const groups = new Map<string, Foreign[]>();
  for (const f of found) {
    const key = `${f.kind.family}\0${duplicateKey(f.argv)}`;
    groups.set(key, [...(groups.get(key) ?? []), f]);
  }
  const out: Finding[] = [];
  for (const group of groups.values()) {
    // the 1.3.27 daemon forks once with the same argv: a parent and its own child are one daemon
    const members = group.filter((f) => !group.some((g) => g.pid === f.ppid));
    if (members.length < 2) continue;
    const keep =
      members.find((m) => named.has(m.pid)) ??
      [...members].sort((a, b) => Number(a.startTime ?? 0) - Number(b.startTime ?? 0))[0]!;
    const extras = members.filter((m) => m !== keep);
    out.push(
      finding('FOREIGN_DUPLICATES', `${members.length} ${keep.kind.release} daemons run at once (its start-up race)`, {
        evidence: members.map((m) => `${m === keep ? 'keep ' : 'extra'}  ${describeProcess(m)}`),
        fix: `fbuild doctor --fix (stops ${extras.map((e) => `pid ${e.pid}`).join(', ')}; keeps pid ${keep.pid}${named.has(keep.pid) ? ', the one its pid file names' : ', the oldest'})`,
        // only one whose executable /proc showed to be the release's is ever signalled
        actions: extras
          .filter((e) => e.kind.proved)
          .map((foreign) =>
            stopAction(
              foreign,
              `duplicate ${foreign.kind.release} daemon`,
              `${FOREIGN_SIGNATURE_PREFIX}${foreign.kind.family}`,
            ),
          ),
      }),
    );
  }
  return out;
}

export const foreignCheck: Check = {
  id: 'foreign',
  title: 'other fbuild daemons',
  run(ctx: DoctorContext) {
    const layouts = foreignLayouts(ctx.home);
    // this user's processes, and of those the ones serving this HOME (where /proc tells): the daemons beside
    // ours are those whose files live under the same ~/.fbuild
    const mine = ctx.processes.filter((p) => ctx.uid === null || p.uid === null || p.uid === ctx.uid);
    const sameHome = (proc: ProcInfo) => {
      const home = readEnviron(proc.pid)?.get('HOME');
      return home === undefined || resolve(home) === resolve(ctx.home);
    };
    const found: Foreign[] = [];
    for (const p of mine) {
      const kind = recogniseForeign(p);
      if (kind && sameHome(p)) found.push({ ...p, kind });
    }
    const findings: Finding[] = [];
    for (const f of found) {
      findings.push(
        finding('FOREIGN_DAEMON', `${f.kind.release} daemon pid ${f.pid} runs (left alone)`, {
          evidence: [describeProcess(f)],
        }),
      );
    }
    const files = pidFiles(layouts);
    const foundPids = new Set(found.map((f) => f.pid));
    for (const pf of files) {
      if (pf.pid !== null && foundPids.has(pf.pid)) continue;
      const why =
        pf.refused !== null
          ? `is not a pid file doctor reads (${pf.refused})`
          : pf.pid === null
            ? `does not hold a pid (${JSON.stringify(pf.text.slice(0, 40))})`
            : `names pid ${pf.pid}, which ${ctx.processes.some((p) => p.pid === pf.pid) ? 'is not an fbuild daemon (a reused pid)' : 'is gone'}`;
      findings.push(
        finding('FOREIGN_PID_STALE', `${pf.path} ${why}`, {
          evidence: [pf.path],
          fix: `once no ${pf.layout.family === 'python-1.3' ? 'Python fbuild 1.3' : 'fbuild 1.5/2.x'} daemon runs, remove it (doctor leaves another release's files alone)`,
        }),
      );
    }
    findings.push(...duplicates(found, new Set(files.flatMap((f) => (f.pid === null ? [] : [f.pid])))));
    const sockets = listeningSockets();
    for (const f of found) {
      const inodes = socketInodes(procFdTargets(f.pid) ?? []);
      for (const s of sockets.filter((x) => x.anyAddress && inodes.has(x.inode))) {
        findings.push(
          finding(
            'FOREIGN_EXPOSED',
            `${f.kind.release} daemon pid ${f.pid} listens on ${s.address}:${s.port}, every network interface, without authentication`,
            {
              evidence: [describeProcess(f)],
              fix: 'stop it when not needed (`fbuild daemon stop` of that release), or firewall the port',
            },
          ),
        );
      }
    }
    for (const claim of claimedPorts(layouts, files)) {
      const sock = sockets.find((s) => s.port === claim.port);
      if (!sock) continue;
      const holder = holderOf(sock, mine);
      if (holder === null || holder.pid === claim.daemonPid) continue;
      findings.push(
        finding(
          'FOREIGN_PORT_CONFLICT',
          `port ${claim.port}, claimed by ${basename(claim.file)}${claim.daemonPid !== null ? ` for daemon pid ${claim.daemonPid}` : ''}, is answered by pid ${holder.pid}`,
          {
            evidence: [claim.file, describeProcess(holder)],
            fix: 'clients of that release talk to the wrong process: stop the one that should not be there',
          },
        ),
      );
    }
    const summary = found.length === 0 ? 'none running' : `${found.length} running (left alone)`;
    return { summary, findings };
  },
};
