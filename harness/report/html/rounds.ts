// The timelines of report.html: every round's in a short run; in a long one (stress: 200 rounds × 50 workers)
// only the failing rounds' and a sample of passing ones, so the page stays a few MB. A round with a serial
// device draws the port's holders and writers under its lanes of workers and daemons.
import type { RoundResult, RunResult } from '../../engine/results.js';
import { roundOutcome } from '../outcome.js';
import { truncate } from '../text.js';
import { esc } from './escape.js';
import { buildTimeline } from './model.js';
import { serialTimeline } from './serial.js';
import { legendSvg, timelineSvg } from './svg.js';

/** up to this many rounds, every timeline is drawn */
const ALL_TIMELINES_UP_TO = 12;
/** beyond it: failing rounds (at most this many) and this many passing ones, spread over the run */
const MAX_FAILING_TIMELINES = 20;
const PASSING_SAMPLE = 4;

/** Rounds whose timeline is drawn: all in a short run; else failing ones and a spread sample of passing ones. */
export function timelineRounds(result: RunResult): RoundResult[] {
  const rounds = result.roundResults;
  if (rounds.length <= ALL_TIMELINES_UP_TO) return rounds;
  const failing = rounds.filter((r) => !roundOutcome(result.expect, r).passed).slice(0, MAX_FAILING_TIMELINES);
  const passing = rounds.filter((r) => roundOutcome(result.expect, r).passed);
  const step = passing.length / PASSING_SAMPLE;
  const sample =
    passing.length <= PASSING_SAMPLE
      ? passing
      : Array.from({ length: PASSING_SAMPLE }, (_, i) => passing[Math.floor(i * step)]!);
  const chosen = new Set([...failing, ...sample]);
  return rounds.filter((r) => chosen.has(r));
}

export function timelines(result: RunResult): string {
  const shown = timelineRounds(result);
  const which =
    shown.length === result.roundResults.length
      ? ''
      : `<p class="meta">${shown.length} of ${result.roundResults.length} rounds drawn: the failing ones (up to ${MAX_FAILING_TIMELINES}) and ${PASSING_SAMPLE} passing ones spread over the run (rounds ${esc(shown.map((r) => r.round).join(', '))}); every round is in results.json.</p>`;
  return [
    '<section id="timelines"><h2>Timelines</h2>',
    '<p class="meta">x: ms from the barrier release (dashed line); one lane per worker, then one per daemon process; an orange dashed line marks a fault injected. Hover a shape for its event.</p>',
    which,
    legendSvg(),
    ...shown.map((r) => roundSection(result, r)),
    '</section>',
  ].join('\n');
}

function roundSection(result: RunResult, round: RoundResult): string {
  const o = roundOutcome(result.expect, round);
  const model = buildTimeline(round);
  const errors = round.workers.filter((w) => w.error);
  const errorList =
    errors.length === 0
      ? ''
      : `<ul class="worker-errors">${errors
          .slice(0, 20)
          .map(
            (worker) =>
              `<li>worker ${worker.worker} (pid ${worker.pid}): ${esc(`${worker.error?.code}: ${truncate(worker.error?.message ?? '', 300)}`)}</li>`,
          )
          .join('')}${errors.length > 20 ? `<li>… ${errors.length - 20} more</li>` : ''}</ul>`;
  const left =
    round.census.leftAfterStop.length > 0
      ? ` · <b>left after stop: ${esc(round.census.leftAfterStop.join(', '))}</b>`
      : '';
  return [
    `<section class="round" id="round-${esc(round.round)}">`,
    `<h3>Round ${esc(round.round)} — <span class="${o.passed ? 'pass' : 'fail'}">${o.passed ? 'ok' : 'FAIL'}</span> · ${esc(o.reason)}</h3>`,
    `<p class="meta">${esc(round.startedAt)} · ${esc(round.stateDir)} · ${plural(round.workers.length, 'worker')} · ${plural(round.census.daemons.length, 'daemon')} · ${plural(round.census.samples, 'census sample')}${left}</p>`,
    errorList,
    `<div class="svg-wrap">${timelineSvg(model, round.round)}</div>`,
    serialTimeline(round),
    '</section>',
  ].join('\n');
}

export function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
