// `harness serial`: rounds of the serial scenario, judged by I8, written as reports/<run-id>/{results.json,
// junit.xml, report.html} (one testcase per round; the page draws each round's holders and writers: html.ts).
import { hostname } from 'node:os';
import { join } from 'node:path';
import { writeFileAtomic } from '../../src/fsutil/atomic-write.js';
import { createRunDir, linkLatest, makeRunId } from '../engine/rundir.js';
import { median } from '../engine/stats.js';
import { xmlAttrs, xmlCdata } from '../report/xml.js';
import { renderSerialReport } from './html.js';
import { roundPassed, SERIAL_RESULTS_SCHEMA, type SerialResults, type SerialRunOptions } from './results.js';
import { runSerialRound, type SerialRoundResult } from './round.js';

export async function runSerial(
  o: SerialRunOptions,
  progress: (line: string) => void,
): Promise<{ passed: boolean; runDir: string; rounds: SerialRoundResult[] }> {
  const runId = makeRunId(`serial-${o.strategy}`);
  const runDir = createRunDir(o.out, runId);
  const startedAt = new Date().toISOString();
  const rounds: SerialRoundResult[] = [];
  for (let i = 1; i <= o.rounds; i++) {
    const r = await runSerialRound(i, o);
    rounds.push(r);
    const verdict = roundPassed(o.expect, r) ? 'ok' : 'FAILED';
    const seen = r.violations.map((v) => v.message).concat(r.problems);
    progress(
      `round ${i}/${o.rounds} ${verdict}: ${r.deploys.ok}/${o.deploys} deploys ok, ${r.monitors.streamedAfter}/${r.monitors.clients} monitors streaming after, peak pty holders ${r.holderPeak}` +
        (seen.length > 0 ? `\n    ${seen.slice(0, 4).join('\n    ')}` : ''),
    );
  }
  const resume = rounds.flatMap((r) => r.resumeMs).sort((a, b) => a - b);
  const rate = rounds.flatMap((r) => r.throughputBps);
  if (resume.length > 0)
    progress(
      `monitors streaming again after a deploy's DONE: median ${Math.round(median(resume))} ms, max ${Math.round(resume.at(-1)!)} ms (${resume.length} monitor×deploy pairs)`,
    );
  if (rate.length > 0)
    progress(
      `built-in deploy transfer at a ${o.baud}-baud device: median ${Math.round(median(rate))} bytes/s (${rate.length} deploys)`,
    );
  const passed = rounds.every((r) => roundPassed(o.expect, r));
  const results: SerialResults = {
    schema: SERIAL_RESULTS_SCHEMA,
    runId,
    startedAt,
    hostname: hostname(),
    options: o,
    passed,
    rounds,
  };
  writeFileAtomic(join(runDir, 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
  writeFileAtomic(join(runDir, 'junit.xml'), junit(o, rounds, startedAt));
  writeFileAtomic(join(runDir, 'report.html'), renderSerialReport(results));
  linkLatest(o.out, runId);
  return { passed, runDir, rounds };
}

function junit(o: SerialRunOptions, rounds: SerialRoundResult[], startedAt: string): string {
  const name = `serial[${o.strategy}][expect ${o.expect}]`;
  const failures = rounds.filter((r) => !roundPassed(o.expect, r)).length;
  const cases = rounds.map((r) => {
    const attrs = xmlAttrs([
      ['name', `${name} round ${r.round}`],
      ['classname', 'fbuild-harness.serial'],
      ['time', (r.durationMs / 1000).toFixed(3)],
    ]);
    if (roundPassed(o.expect, r)) return `    <testcase${attrs}/>`;
    const why =
      o.expect === 'race'
        ? 'the rig saw no I8 violation where the naive strategy must show one'
        : [...r.violations.map((v) => `${v.invariant}: ${v.message}`), ...r.problems].join('\n');
    return `    <testcase${attrs}>\n      <failure${xmlAttrs([
      ['message', why.split('\n')[0] ?? why],
      ['type', 'I8'],
    ])}>${xmlCdata(`${why}\n\n${JSON.stringify(r, null, 2)}`)}</failure>\n    </testcase>`;
  });
  const total = rounds.reduce((t, r) => t + r.durationMs, 0) / 1000;
  const suite = xmlAttrs([
    ['name', name],
    ['tests', rounds.length],
    ['failures', failures],
    ['errors', 0],
    ['skipped', 0],
    ['time', total.toFixed(3)],
    ['timestamp', startedAt.replace(/\.\d+Z$/, '')],
    ['hostname', hostname() || 'localhost'],
  ]);
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites>\n  <testsuite${suite}>\n${cases.join('\n')}\n  </testsuite>\n</testsuites>\n`;
}
