// What a person sees of a survey while it runs — on a terminal one live line (which target, which round, how
// long so far), otherwise a plain line per round — and the text summary at the end.
import { shardRounds } from '../engine/shard.js';
import type { SurveyOptions, SurveyOutcome, SurveyProgress } from './run.js';

function clock(ms: number): string {
  const s = Math.round(ms / 1000);
  return s >= 60 ? `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s` : `${s}s`;
}

export function tracker(
  opts: SurveyOptions,
  err: { write(s: string): unknown; isTTY?: boolean },
): { round(p: SurveyProgress): void; done(): void } {
  const tty = err.isTTY === true;
  const mine = shardRounds(opts.rounds, opts.shard);
  return {
    round(progress) {
      const r = progress.round;
      const done = mine.indexOf(r.round) + 1;
      const line =
        `survey: target ${progress.index + 1}/${opts.specs.length} ${progress.spec}, round ${done}/${mine.length} ${r.ok ? 'ok' : 'FAIL'}: ` +
        `${r.census.daemons.length} daemon(s) seen, peak ${r.census.peakConcurrent}, ` +
        `${r.workers.filter((w) => !w.ok).length} client(s) failed · ${clock(progress.startedMs)}`;
      err.write(tty ? `\r\x1b[2K${line}` : `${line}\n`);
    },
    done() {
      if (tty) err.write('\n');
    },
  };
}

export function surveyText({ doc, dir }: SurveyOutcome): string {
  const lines = doc.targets.map((target) => {
    const verdict = target.exitCode === 0 ? 'one  ' : 'FAIL ';
    return `${verdict} ${target.spec.padEnd(20)} ${`${target.version} (${target.source})`.padEnd(26)} two at once in ${target.rounds.filter((r) => r.overlaps > 0).length} of ${target.totals.rounds} rounds, spawned ${target.totals.spawns} (wasted ${target.totals.wasted}), peak alive ${target.totals.peakMax}, clients failed ${target.totals.clientsFailed} (hung ${target.totals.clientsHung}) of ${target.totals.clientStarts}`;
  });
  return [
    ...lines,
    `${doc.summary.targets - doc.summary.targetsFailed} of ${doc.summary.targets} targets kept to one daemon; reports in ${dir}`,
    '',
  ].join('\n');
}
