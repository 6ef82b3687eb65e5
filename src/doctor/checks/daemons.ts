// Our daemon processes, found by their signature (argv marker + state directory), not by any file: exactly
// one may run per state directory, and it must be the owner. Daemons of other state directories are listed.

import { inspectOwner } from '../../daemon/client/diagnose.js';
import { DAEMON_MARKER, sameDirectory } from '../../daemon/shared/signature.js';
import type { DoctorContext } from '../context.js';
import { describeProcess, type ProcInfo } from '../processes.js';
import { type FixAction, finding } from '../types.js';
import type { Check } from './check.js';

function ownerPid(ctx: DoctorContext): number | null {
  try {
    const i = inspectOwner(ctx.config);
    return i.state === 'held' ? i.record.pid : null;
  } catch {
    return null;
  }
}

export function stopAction(p: ProcInfo, why: string, signature = DAEMON_MARKER): FixAction {
  return { kind: 'stop-process', pid: p.pid, startTime: p.startTime, uid: p.uid, signature, why };
}

export const daemonsCheck: Check = {
  id: 'daemons',
  title: 'daemon processes',
  run(ctx) {
    const mine = ctx.daemons.filter((d) => sameDirectory(d.stateDir, ctx.config.stateDir));
    const others = ctx.daemons.filter((d) => !sameDirectory(d.stateDir, ctx.config.stateDir));
    const owner = ownerPid(ctx);
    const findings = [];
    const extras = mine.filter((d) => d.pid !== owner);
    const label = (d: ProcInfo) => `${d.pid === owner ? 'owner   ' : 'extra   '}${describeProcess(d)}`;
    if (mine.length > 1) {
      findings.push(
        finding(
          'DAEMON_DUPLICATES',
          `${mine.length} daemon processes run for this state directory; ${owner !== null && mine.some((d) => d.pid === owner) ? `pid ${owner} owns it` : 'none of them owns it'}`,
          {
            evidence: mine.map(label),
            fix: `fbuild doctor --fix (stops ${extras.map((d) => `pid ${d.pid}`).join(', ')}; keeps the owner)`,
            actions: extras.map((d) => stopAction(d, `a daemon of ${ctx.config.stateDir} that does not own it`)),
          },
        ),
      );
    } else if (extras.length === 1) {
      findings.push(
        finding('DAEMON_NOT_OWNER', `daemon pid ${extras[0]!.pid} runs for this state directory without owning it`, {
          evidence: [label(extras[0]!)],
          fix: 'fbuild doctor --fix (stops it)',
          actions: [stopAction(extras[0]!, `a daemon of ${ctx.config.stateDir} that does not own it`)],
        }),
      );
    }
    if (others.length > 0) {
      findings.push(
        finding('DAEMON_OTHER_DIRS', `${others.length} daemon(s) of yours serve other state directories`, {
          evidence: others.map((d) => `${d.stateDir}  ${describeProcess(d)}`),
          fix: 'FBUILD_DAEMON_DIR=<dir> fbuild doctor checks one of them',
        }),
      );
    }
    const summary =
      mine.length === 0
        ? 'no daemon process for this state directory'
        : mine.length === 1
          ? `1 daemon process (pid ${mine[0]!.pid})${mine[0]!.pid === owner ? ', the owner' : ''}`
          : `${mine.length} daemon processes for this state directory`;
    return { summary, findings };
  },
};
