// report.html: one self-contained file a person opens from a CI artifact, for every command's run (the page
// shell: html/page.ts): header with the verdict, a per-round summary (and the serial port's, for serial runs),
// the violations grouped by invariant, and SVG timelines.
import type { RunResult } from '../engine/results.js';
import { RESULTS_SCHEMA_VERSION } from '../engine/results.js';
import { esc } from './html/escape.js';
import { htmlPage } from './html/page.js';
import { plural, timelines } from './html/rounds.js';
import { SERIAL_STYLES, serialLoad, serialTable } from './html/serial.js';
import { summaryTable } from './html/summary.js';
import { violations } from './html/violations.js';
import { roundOutcome, runPassed } from './outcome.js';
import type { Reporter } from './reporter.js';

export class HtmlReporter implements Reporter {
  readonly name = 'html';
  readonly fileName = 'report.html';

  render(result: RunResult): string {
    const passed = runPassed(result);
    const verdict = passed ? 'PASS' : 'FAIL';
    const held = result.roundResults.filter((r) => roundOutcome(result.expect, r).passed).length;
    return htmlPage({
      title: `${verdict} · fbuild harness ${result.command} [${result.target === undefined ? result.strategy : `${result.target.name} ${result.target.version}`}] ${result.runId}`,
      heading: `fbuild harness ${result.command} · run ${result.runId}`,
      verdict: { text: verdict, pass: passed },
      whyHtml: `Expectation <b>${esc(result.expect)}</b> held in ${held} of ${result.rounds} rounds · exit code ${result.summary.exitCode}`,
      styles: result.command === 'serial' ? SERIAL_STYLES : '',
      facts: facts(result),
      sections: [summaryTable(result), serialTable(result), violations(result), timelines(result)],
      footer: `fbuild harness report · results.json schema v${RESULTS_SCHEMA_VERSION} · run ${result.runId}`,
    });
  }
}

function facts(result: RunResult): Array<[string, string]> {
  const serial = result.command === 'serial';
  const expectation =
    result.expect === 'race'
      ? serial
        ? 'the rig catches I8 broken (duplicate daemons on one port)'
        : 'reproduce the race (duplicate daemons)'
      : 'a single daemon';
  const p = result.platform;
  const facts: Array<[string, string]> = [
    ['strategy', result.strategy],
    ...(result.target === undefined
      ? []
      : ([
          ['target', `${result.target.name} ${result.target.version} (${result.target.source}: ${result.target.root})`],
          ['clients', result.target.commands.join(' · ')],
          ['invariants judged', result.target.invariants.join(', ')],
        ] as Array<[string, string]>)),
    ['expectation', `${result.expect} — ${expectation}`],
    serial
      ? ['load per round', serialLoad(result.options)]
      : ['workers × rounds', `${result.workers} × ${result.rounds}`],
    ['seed', String(result.seed)],
    [
      'platform',
      `${p.os} ${p.arch} · node ${p.node} · ${p.cpus} cpus${result.hostname ? ` · ${result.hostname}` : ''}`,
    ],
    ['started', result.startedAt],
    ['duration', `${(result.durationMs / 1000).toFixed(2)} s`],
    [
      'totals',
      `${plural(result.summary.violations, 'violation')} · ${plural(result.summary.roundsWithDuplicates, 'round')} with duplicates · ${plural(result.summary.spawnsTotal, 'spawn')} · skew p50 ${result.summary.skewP50Ms} ms, max ${result.summary.skewMaxMs} ms`,
    ],
  ];
  return facts;
}
