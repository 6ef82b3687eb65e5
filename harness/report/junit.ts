// junit.xml in the Ant JUnit format that CI readers share (Jenkins' junit-10.xsd, GitLab, dorny/test-reporter):
// testsuites > testsuite > properties, testcase*, system-out, system-err. One testcase per round. We add no
// attributes beyond that schema — strict readers reject unknown ones — and keep the order of children it
// prescribes (testcase: skipped?, failure?, system-out?).
import type { RoundResult, RunResult } from '../engine/results.js';
import { invariantIds, missingRounds, roundOutcome } from './outcome.js';
import type { Reporter } from './reporter.js';
import { prettyJson, truncate } from './text.js';
import { xmlAttrs, xmlCdata } from './xml.js';

const MAX_EVIDENCE_CHARS = 16_000;

export class JunitReporter implements Reporter {
  readonly name = 'junit';
  readonly fileName = 'junit.xml';

  render(result: RunResult): string {
    return junitDocument(`fbuild.harness ${testNames(result).label} --expect ${result.expect}`, [result]);
  }
}

/**
 * One junit.xml for several runs: a testsuite each (a survey: one per target), totals on <testsuites>. A
 * single run's file is the same document with one suite.
 */
export function junitDocument(name: string, results: readonly RunResult[]): string {
  const suites = results.map((r, id) => testsuite(r, id));
  const sum = (k: 'tests' | 'failures') => suites.reduce((n, s) => n + s[k], 0);
  const time = seconds(results.reduce((n, r) => n + r.durationMs, 0));
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites${xmlAttrs([
      ['name', name],
      ['tests', sum('tests')],
      ['failures', sum('failures')],
      ['errors', 0],
      ['time', time],
    ])}>`,
    ...suites.map((s) => s.xml),
    '</testsuites>',
    '',
  ].join('\n');
}

function testsuite(result: RunResult, id: number): { xml: string; tests: number; failures: number } {
  const names = testNames(result);
  const missing = missingRounds(result);
  const cases = result.roundResults.map((round) => testcase(result, round, names));
  const failures = result.roundResults.filter((round) => !roundOutcome(result.expect, round).passed).length;
  for (const n of missing) cases.push(skippedCase(names, n));
  const tests = result.roundResults.length + missing.length;
  const xml = [
    `  <testsuite${xmlAttrs([
      ['name', names.suite],
      ['tests', tests],
      ['failures', failures],
      ['errors', 0],
      ['skipped', missing.length],
      ['time', seconds(result.durationMs)],
      ['timestamp', antTimestamp(result.startedAt)],
      // the host that ran the rig, not the one re-rendering: unknown hosts are 'localhost', as Ant writes
      ['hostname', result.hostname || 'localhost'],
      ['id', id],
      ['package', names.classname],
    ])}>`,
    properties(result),
    ...cases,
    `    <system-out>${xmlCdata(runSummary(result))}</system-out>`,
    '    <system-err></system-err>',
    '  </testsuite>',
  ].join('\n');
  return { xml, tests, failures };
}

interface Names {
  label: string;
  suite: string;
  classname: string;
  testcase: (round: number) => string;
}

function testNames(result: RunResult): Names {
  // a fault run names its fault: one testcase per fault × strategy × round
  const fault = typeof result.options.fault === 'string' ? result.options.fault : null;
  const mech = typeof result.options.ownership === 'string' ? `[${result.options.ownership}]` : '';
  // a target run names its target and version: reproduce[target:nx@23.2.1]
  const who = result.target === undefined ? result.strategy : `target:${result.target.name}@${result.target.version}`;
  const label = fault === null ? `${result.command}[${who}]` : `${result.command}[${fault}][${result.strategy}]${mech}`;
  return {
    label,
    suite: `fbuild.harness ${label} --expect ${result.expect}`,
    classname:
      fault === null
        ? `fbuild.harness.${result.command}.${result.target === undefined ? result.strategy : `target.${result.target.name}`}`
        : `fbuild.harness.${result.command}.${fault}.${result.strategy}${mech === '' ? '' : `.${String(result.options.ownership)}`}`,
    testcase: (round) => `${label} round ${round}`,
  };
}

function testcase(result: RunResult, round: RoundResult, names: Names): string {
  const outcome = roundOutcome(result.expect, round);
  const open = `    <testcase${xmlAttrs([
    ['name', names.testcase(round.round)],
    ['classname', names.classname],
    ['time', seconds(round.durationMs)],
  ])}>`;
  const lines = [open];
  if (!outcome.passed) lines.push(failure(result, round, outcome.reason));
  lines.push(
    `      <system-out>${xmlCdata(roundDetails(result, round, outcome.reason))}</system-out>`,
    '    </testcase>',
  );
  return lines.join('\n');
}

function failure(result: RunResult, round: RoundResult, reason: string): string {
  const type = result.expect === 'race' ? 'expect-race' : invariantIds(round).replace(/, /g, ',') || 'round-failed';
  const first = round.violations[0];
  const message =
    result.expect === 'race' || !first
      ? reason
      : `${first.invariant}: ${first.message}${round.violations.length > 1 ? ` (+${round.violations.length - 1} more)` : ''}`;
  const body = round.violations.length > 0 ? violationsText(round) : workerErrorsText(round) || reason;
  return `      <failure${xmlAttrs([
    ['message', truncate(message, 1000)],
    ['type', type],
  ])}>${xmlCdata(body)}</failure>`;
}

function skippedCase(names: Names, round: number): string {
  return [
    `    <testcase${xmlAttrs([
      ['name', names.testcase(round)],
      ['classname', names.classname],
      ['time', '0.000'],
    ])}>`,
    `      <skipped${xmlAttrs([['message', 'the run ended before this round']])}/>`,
    '    </testcase>',
  ].join('\n');
}

function properties(result: RunResult): string {
  const props: Array<[string, string]> = [
    ['runId', result.runId],
    ['command', result.command],
    ['strategy', result.strategy],
    ...(result.target === undefined
      ? []
      : ([['target', `${result.target.name}@${result.target.version}`]] as Array<[string, string]>)),
    ['expect', result.expect],
    ['seed', String(result.seed)],
    ['workers', String(result.workers)],
    ['rounds', String(result.rounds)],
    [
      'platform',
      `${result.platform.os}-${result.platform.arch} node ${result.platform.node} cpus ${result.platform.cpus}`,
    ],
    ['exitCode', String(result.summary.exitCode)],
  ];
  return [
    '    <properties>',
    ...props.map(
      ([name, value]) =>
        `      <property${xmlAttrs([
          ['name', name],
          ['value', value],
        ])}/>`,
    ),
    '    </properties>',
  ].join('\n');
}

export function violationsText(round: RoundResult): string {
  return round.violations
    .map((v) => `${v.invariant}: ${v.message}\nevidence: ${truncate(prettyJson(v.evidence), MAX_EVIDENCE_CHARS)}`)
    .join('\n\n');
}

function workerErrorsText(round: RoundResult): string {
  return round.workers
    .filter((w) => w.error)
    .map((w) => `worker ${w.worker} (pid ${w.pid}): ${w.error?.code}: ${w.error?.message}`)
    .join('\n');
}

function roundDetails(result: RunResult, round: RoundResult, reason: string): string {
  const daemonPids = round.census.daemons.map((d) => d.pid).join(', ') || 'none';
  const lines = [
    `round ${round.round} of ${result.rounds}: ${reason}`,
    `state dir: ${round.stateDir}`,
    `started: ${round.startedAt}  duration: ${round.durationMs.toFixed(1)} ms`,
    `barrier skew: p50 ${round.skew.p50Ms.toFixed(3)} ms, max ${round.skew.maxMs.toFixed(3)} ms`,
    `spawns: ${round.spawns}  peak concurrent daemons: ${round.census.peakConcurrent}  distinct daemons: ${round.census.daemons.length} (pids ${daemonPids})`,
    `left after stop: ${round.census.leftAfterStop.length === 0 ? 'none' : round.census.leftAfterStop.join(', ')}`,
    `workers ok: ${round.workers.filter((w) => w.ok).length}/${round.workers.length}`,
  ];
  const errors = workerErrorsText(round);
  if (errors) lines.push('worker errors:', errors);
  // --target runs: clients served with a warning, and what the target left behind
  const warnings = round.workers
    .filter((w) => w.ok && w.warning !== undefined)
    .map((w) => `worker ${w.worker} (${w.client ?? 'client'}): ${w.warning}`);
  if (warnings.length > 0) lines.push('client warnings:', ...warnings);
  if (round.notes !== undefined && round.notes.length > 0) lines.push('notes:', ...round.notes);
  if (round.violations.length > 0) lines.push('', violationsText(round));
  return lines.join('\n');
}

function runSummary(result: RunResult): string {
  const s = result.summary;
  return [
    `fbuild harness ${result.command} ${result.target === undefined ? `--strategy ${result.strategy}` : `--target ${result.target.name} --target-version ${result.target.version}`} --expect ${result.expect} --workers ${result.workers} --rounds ${result.rounds} --seed ${result.seed}`,
    `rounds ok ${s.roundsOk}, failed ${s.roundsFailed}; violations ${s.violations}; rounds with duplicates ${s.roundsWithDuplicates}; spawns ${s.spawnsTotal}`,
    `barrier skew p50 ${s.skewP50Ms} ms, max ${s.skewMaxMs} ms; exit code ${s.exitCode}`,
  ].join('\n');
}

/** Seconds with millisecond precision; negative or non-finite durations (a broken clock) become 0. */
export function seconds(ms: number): string {
  return Number.isFinite(ms) && ms > 0 ? (ms / 1000).toFixed(3) : '0.000';
}

/** The schema's timestamp is ISO 8601 without zone or fraction (`2025-01-31T12:00:00`); we write UTC. */
export function antTimestamp(iso: string): string {
  const t = Date.parse(iso);
  return (Number.isFinite(t) ? new Date(t) : new Date(0)).toISOString().slice(0, 19);
}
