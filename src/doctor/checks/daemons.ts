// Our daemon processes, found by what they are (the daemon program, daemon/shared/signature.ts), not by any
// file: exactly one may run per state directory, and it must be the owner. Daemons of other state directories
// (including another directory at this very path, seen from another mount namespace) are listed. Only a
// daemon proved from /proc to be ours and of this directory is ever proposed for stopping.

import { inspectOwner } from '../../daemon/client/diagnose.js';
import { DAEMON_MARKER } from '../../daemon/shared/signature.js';
import type { DoctorContext } from '../context.js';
import { describeProcess, type ProcInfo } from '../processes.js';
import { type Finding, type FixAction, finding } from '../types.js';
import type { Check } from './check.js';

type Daemon = DoctorContext['daemons'][number];

function ownerPid(ctx: DoctorContext): number | null {
  try {
    const i = inspectOwner(ctx.config);
    return i.state === 'held' ? i.record.pid : null;
  } catch {
    return null;
  }
}

export function stopAction(proc: ProcInfo, why: string, signature = DAEMON_MARKER): FixAction {
  return { kind: 'stop-process', pid: proc.pid, startTime: proc.startTime, uid: proc.uid, signature, why };
}

const UNPROVED = 'cannot be proved to be the daemon here (no /proc, or not readable): stop it yourself';

/** The fix for extras: stop the proved ones; say why the others are left. */
function extrasFix(ctx: DoctorContext, extras: Daemon[]): Pick<Finding, 'fix' | 'actions'> {
  const proved = extras.filter((d) => d.proved);
  const left = extras.filter((d) => !d.proved).map((d) => `pid ${d.pid}`);
  const parts = [
    ...(proved.length > 0
      ? [`fbuild doctor --fix (stops ${proved.map((d) => `pid ${d.pid}`).join(', ')}; keeps the owner)`]
      : []),
    ...(left.length > 0 ? [`${left.join(', ')} ${UNPROVED}`] : []),
  ];
  const why = `a daemon of ${ctx.config.stateDir} that does not own it`;
  return { fix: parts.join('; '), actions: proved.map((d) => stopAction(d, why)) };
}

function otherDirs(ctx: DoctorContext, others: Daemon[]): Finding {
  const samePath = (daemon: Daemon) =>
    daemon.stateDir === ctx.config.stateDir ? ' (another directory at this path, as that process sees it)' : '';
  return finding('DAEMON_OTHER_DIRS', `${others.length} daemon(s) of yours serve other state directories`, {
    evidence: others.map((d) => `${d.stateDir}${samePath(d)}  ${describeProcess(d)}`),
    fix: 'FBUILD_DAEMON_DIR=<dir> fbuild doctor checks one of them',
  });
}

export const daemonsCheck: Check = {
  id: 'daemons',
  title: 'daemon processes',
  run(ctx) {
    const mine = ctx.daemons.filter((d) => d.serves === 'this');
    const others = ctx.daemons.filter((d) => d.serves === 'other');
    const owner = ownerPid(ctx);
    const findings = [];
    const extras = mine.filter((d) => d.pid !== owner);
    const label = (d: ProcInfo) => `${d.pid === owner ? 'owner   ' : 'extra   '}${describeProcess(d)}`;
    if (mine.length > 1) {
      findings.push(
        finding(
          'DAEMON_DUPLICATES',
          `${mine.length} daemon processes run for this state directory; ${owner !== null && mine.some((d) => d.pid === owner) ? `pid ${owner} owns it` : 'none of them owns it'}`,
          { evidence: mine.map(label), ...extrasFix(ctx, extras) },
        ),
      );
    } else if (extras.length === 1) {
      const { fix, actions } = extrasFix(ctx, extras);
      findings.push(
        finding('DAEMON_NOT_OWNER', `daemon pid ${extras[0]!.pid} runs for this state directory without owning it`, {
          evidence: [label(extras[0]!)],
          fix: extras[0]!.proved ? 'fbuild doctor --fix (stops it)' : fix,
          actions,
        }),
      );
    }
    if (others.length > 0) findings.push(otherDirs(ctx, others));
    const summary =
      mine.length === 0
        ? 'no daemon process for this state directory'
        : mine.length === 1
          ? `1 daemon process (pid ${mine[0]!.pid})${mine[0]!.pid === owner ? ', the owner' : ''}`
          : `${mine.length} daemon processes for this state directory`;
    return { summary, findings };
  },
};
