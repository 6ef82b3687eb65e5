// One serial round as a user would live it: the monitors come first and stream, the deploys are released
// together, then every monitor must stream again; the monitors end with a Ctrl-C (SIGTERM).
import { monoNs } from '../../../src/clock.js';
import { exitWithin } from '../../engine/client-process.js';
import { killAndWait, pidsOf } from '../../engine/kill.js';
import { until } from '../../engine/until.js';
import { deployErrors } from './record.js';
import type { Session } from './types.js';

/** hang guard of a deploy (it may queue behind every other one of the round) */
const DEPLOY_HANG_MS = 300_000;
const STREAM_WAIT_MS = 30_000;
const RESUME_WAIT_MS = 10_000;

export async function play(session: Session): Promise<void> {
  const { load } = session;
  const monitors = Array.from({ length: load.monitors }, () => session.start('monitor'));
  // hardened monitors print the device's lines; naive ones print nothing until they exit, so just let them open
  if (load.hardened && !(await until(() => monitors.every((m) => m.lines.length > 0), STREAM_WAIT_MS)))
    session.problems.push('not every monitor streamed before the deploys');
  if (!load.hardened)
    await until(() => session.samples.some((x) => x.pids.length >= Math.min(2, load.monitors)), RESUME_WAIT_MS);
  session.streamedBefore = monitors.filter((m) => m.lines.length > 0).length;
  const deploys = Array.from({ length: load.deploys }, () => session.start('deploy'));
  session.codes = await Promise.all(deploys.map((d) => exitWithin(d, DEPLOY_HANG_MS)));
  const lastEnd = monoNs();
  const resumed = () => monitors.every((m) => m.lines.some((l) => l.mono > lastEnd));
  if (load.hardened && !(await until(resumed, RESUME_WAIT_MS)))
    session.problems.push('not every monitor streamed again after the deploys');
  session.streamedAfter = monitors.filter((m) => m.lines.some((l) => l.mono > lastEnd)).length;
  if (load.hardened) session.problems.push(...deployErrors(session));
  await killAndWait(pidsOf(monitors.map((m) => m.child)), 5_000, 'SIGTERM');
}
