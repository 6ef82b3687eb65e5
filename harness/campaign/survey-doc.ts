// A survey's record (its results.json): every target it ran with the same workload — which version, from where —
// and per round what the README's "in the wild" table shows: daemons spawned, wasted spawns, the most alive at
// once, how many were left when the clients had returned, clients that failed or hung (with their messages),
// and how long until the last client had returned (served, or failed: one that hung returns at its deadline).
// Each target's own run (results.json, junit.xml and the timelines in its report.html) lies in targets/<run-id>/
// inside the survey's dir; this document is built from those runs alone, so `harness merge` rebuilds it from
// merged target runs the same way.
import { cpus, hostname } from 'node:os';
import type { Expectation, InvariantId, RoundOrigin, RunResult } from '../engine/results.js';
import { percentile } from '../engine/stats.js';
import { clientMessages, type TargetRound, targetRound } from '../targets/summary.js';

export const SURVEY_SCHEMA_VERSION = 1;
export const SURVEY_KIND = 'survey';

export interface SurveyTarget {
  /** as the survey listed it: `nx`, `nx@24` */
  spec: string;
  name: string;
  version: string;
  /** where it came from: the rig's cache, the project, a path, the system */
  source: string;
  root: string;
  clients: string[];
  invariants: InvariantId[];
  expect: Expectation;
  exitCode: 0 | 1;
  /** its own run directory, relative to the survey's */
  runDir: string;
  rounds: Array<TargetRound & { origin?: RoundOrigin }>;
  totals: {
    rounds: number;
    clientStarts: number;
    spawns: number;
    wasted: number;
    peakMax: number;
    aliveAtEndMax: number;
    clientsFailed: number;
    clientsHung: number;
    clientsWarned: number;
    roundsWithDuplicates: number;
    servedMsP50: number;
    servedMsMax: number;
  };
  messages: ReturnType<typeof clientMessages>;
}

export interface SurveyMeta {
  runId: string;
  startedAt: string;
  durationMs: number;
  workers: number;
  /** rounds of the whole survey (a shard plays its part of them) */
  rounds: number;
  seed: number;
  expect: Expectation | null;
  shard: string | null;
  /** the command line that made it (for the README: the table's figures come from it) */
  command: string;
  /** merged surveys: the runs they came from */
  mergedFrom?: string[];
}

export interface SurveyDoc extends SurveyMeta {
  schema: typeof SURVEY_SCHEMA_VERSION;
  tool: 'fbuild-harness';
  kind: typeof SURVEY_KIND;
  hostname: string;
  platform: { os: string; arch: string; node: string; cpus: number };
  targets: SurveyTarget[];
  summary: { targets: number; targetsFailed: number; exitCode: 0 | 1 };
}

export interface SurveyEntry {
  spec: string;
  result: RunResult;
  /** relative to the survey's dir */
  runDir: string;
}

const sum = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0);

export function surveyTarget(entry: SurveyEntry): SurveyTarget {
  const r = entry.result;
  const t = r.target!;
  const rounds = r.roundResults.map((rr) => ({
    ...targetRound(rr),
    ...(rr.origin === undefined ? {} : { origin: rr.origin }),
  }));
  const served = rounds.map((x) => x.servedMs);
  return {
    ...{ spec: entry.spec, name: t.name, version: t.version, source: t.source, root: t.root },
    ...{ clients: t.commands, invariants: t.invariants, expect: r.expect, exitCode: r.summary.exitCode },
    runDir: entry.runDir,
    rounds,
    totals: {
      rounds: rounds.length,
      clientStarts: sum(r.roundResults.map((rr) => rr.workers.length)),
      spawns: sum(rounds.map((x) => x.spawns)),
      wasted: sum(rounds.map((x) => x.wasted)),
      peakMax: Math.max(0, ...rounds.map((x) => x.peak)),
      aliveAtEndMax: Math.max(0, ...rounds.map((x) => x.aliveAtEnd)),
      clientsFailed: sum(rounds.map((x) => x.clientsFailed)),
      clientsHung: sum(rounds.map((x) => x.clientsHung)),
      clientsWarned: sum(rounds.map((x) => x.clientsWarned)),
      roundsWithDuplicates: r.summary.roundsWithDuplicates,
      servedMsP50: Math.round(percentile(served, 50)),
      servedMsMax: Math.max(0, ...served),
    },
    messages: clientMessages(r),
  };
}

export function surveyDoc(meta: SurveyMeta, entries: readonly SurveyEntry[]): SurveyDoc {
  const targets = entries.map(surveyTarget);
  const failed = targets.filter((t) => t.exitCode !== 0).length;
  return {
    schema: SURVEY_SCHEMA_VERSION,
    tool: 'fbuild-harness',
    kind: SURVEY_KIND,
    ...meta,
    hostname: entries[0]?.result.hostname ?? hostname(),
    platform: entries[0]?.result.platform ?? {
      os: process.platform,
      arch: process.arch,
      node: process.version,
      cpus: cpus().length,
    },
    targets,
    summary: { targets: targets.length, targetsFailed: failed, exitCode: failed === 0 ? 0 : 1 },
  };
}

export function isSurveyDoc(value: unknown): value is SurveyDoc {
  return typeof value === 'object' && value !== null && (value as { kind?: unknown }).kind === SURVEY_KIND;
}

function range(xs: readonly number[]): string {
  if (xs.length === 0) return '–';
  const lo = Math.min(...xs);
  const hi = Math.max(...xs);
  return lo === hi ? String(lo) : `${lo}–${hi}`;
}

/** The README's "What the rig finds in the wild" table: one row per target, per-round ranges. */
export function surveyMarkdown(doc: SurveyDoc): string {
  const head = [
    '| target | version | rounds with two at once | daemons spawned per round | wasted spawns | peak alive | alive at end | clients failed (hung) of starts | last client returned |',
    '|---|---|---|---|---|---|---|---|---|',
  ];
  const rows = doc.targets.map((target) => {
    const r = target.rounds;
    const cells = [
      target.name,
      `${target.version} (${target.source})`,
      `${r.filter((x) => x.overlaps > 0).length} of ${r.length}`,
      range(r.map((x) => x.spawns)),
      range(r.map((x) => x.wasted)),
      range(r.map((x) => x.peak)),
      range(r.map((x) => x.aliveAtEnd)),
      `${target.totals.clientsFailed} (${target.totals.clientsHung}) of ${target.totals.clientStarts}`,
      `${(target.totals.servedMsP50 / 1000).toFixed(1)} s median, ${(target.totals.servedMsMax / 1000).toFixed(1)} s max`,
    ];
    return `| ${cells.join(' | ')} |`;
  });
  const when = doc.startedAt.slice(0, 10);
  const p = doc.platform;
  return [
    ...head,
    ...rows,
    '',
    `\`${doc.command}\` on ${when}: ${doc.workers} concurrent clients × ${doc.rounds} rounds per target, ${p.os} ${p.arch}, ${p.cpus} cpus, node ${p.node}. Two at once: two daemons alive together, or (lock-only targets: lockfile, proper-lockfile) two holders of one lock.`,
    '',
  ].join('\n');
}
