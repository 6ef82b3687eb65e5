// The regression gate: every gated figure's ratio (value / its floor or peer, both measured in the same run,
// lower is better) against the ratio committed in bench/baseline.json. More than 2× worse fails the run and
// names the figure; smaller drifts are printed, never failed. Absolute times are never compared: a busy or
// slower machine moves a figure and its floor together. The baseline changes only by an explicit command
// (`pnpm harness bench --quick --update-baseline`), reviewed like code.
import { existsSync, readFileSync } from 'node:fs';
import { writeFileAtomic } from '../../src/fsutil/atomic-write.js';
import type { Figure } from './figures.js';

export const BASELINE_SCHEMA = 1;
/** a ratio this many times its baseline fails the gate */
export const FAIL_FACTOR = 2;
/** beyond this either way a change is printed as a drift */
export const DRIFT_FACTOR = 1.25;

export interface Baseline {
  schema: typeof BASELINE_SCHEMA;
  kind: 'fbuild-bench-baseline';
  recordedAt: string;
  quick: boolean;
  /** where it was recorded (cpus, node, load), for whoever reads a surprising comparison */
  machine: { cpus: number; node: string; load1: number };
  /** figure id → value / reference */
  ratios: Record<string, number>;
}

export interface RatioCheck {
  id: string;
  title: string;
  baseline: number;
  now: number;
  /** now / baseline: above 1 is worse */
  change: number;
  /** 'overloaded': over the limit, but a load-sensitive ratio measured on an overloaded machine — printed, not failed;
   *  'peer-moved': over the limit against a peer (another project's code), whose own speed swings with load far more
   *  than ours — printed, not failed: a regression of ours shows in the same figure's floor ratio */
  verdict: 'ok' | 'drift' | 'overloaded' | 'peer-moved' | 'REGRESSION';
}

/** Load-sensitive ratios are not failed when the 1-min load average exceeded this many runnable tasks per core. */
export const OVERLOAD_PER_CPU = 4;

export interface BaselineCheck {
  file: string;
  recordedAt: string;
  checks: RatioCheck[];
  /** gated figures of this run that the baseline does not have yet */
  notInBaseline: string[];
  regressions: string[];
}

/** Same-run ratios only: a figure against a floor or a peer, not against a fixed limit. */
export function isGated(figure: Figure): boolean {
  return (
    (figure.ref?.role === 'floor' || figure.ref?.role === 'peer') &&
    figure.gated !== false &&
    figure.ratio !== null &&
    Number.isFinite(figure.ratio) &&
    figure.ratio > 0
  );
}

export function readBaseline(file: string): Baseline | null {
  if (!existsSync(file)) return null;
  const b = JSON.parse(readFileSync(file, 'utf8')) as Baseline;
  if (b.kind !== 'fbuild-bench-baseline' || b.schema !== BASELINE_SCHEMA || typeof b.ratios !== 'object')
    throw new Error(`${file} is not a bench baseline of schema ${BASELINE_SCHEMA}`);
  return b;
}

export function checkBaseline(figures: Figure[], baseline: Baseline, file: string, cpus: number): BaselineCheck {
  const checks: RatioCheck[] = [];
  const notInBaseline: string[] = [];
  for (const f of figures.filter(isGated)) {
    const base = baseline.ratios[f.id];
    if (base === undefined || !(base > 0)) {
      notInBaseline.push(f.id);
      continue;
    }
    const change = f.ratio! / base;
    const overloaded = f.loadSensitive === true && (f.load1 ?? 0) > OVERLOAD_PER_CPU * cpus;
    const over = overloaded ? 'overloaded' : f.ref?.role === 'peer' ? 'peer-moved' : 'REGRESSION';
    const verdict = change > FAIL_FACTOR ? over : change > DRIFT_FACTOR || change < 1 / DRIFT_FACTOR ? 'drift' : 'ok';
    checks.push({
      id: f.id,
      title: f.title,
      baseline: base,
      now: f.ratio!,
      change: Math.round(change * 100) / 100,
      verdict,
    });
  }
  return {
    file,
    recordedAt: baseline.recordedAt,
    checks,
    notInBaseline,
    regressions: checks.filter((c) => c.verdict === 'REGRESSION').map((c) => c.id),
  };
}

export function writeBaseline(
  file: string,
  figures: Figure[],
  meta: Omit<Baseline, 'schema' | 'kind' | 'ratios'>,
): Baseline {
  const ratios = Object.fromEntries(figures.filter(isGated).map((f) => [f.id, f.ratio!]));
  const b: Baseline = { schema: BASELINE_SCHEMA, kind: 'fbuild-bench-baseline', ...meta, ratios };
  writeFileAtomic(file, JSON.stringify(b, null, 2) + '\n');
  return b;
}

/** The lines the table prints: regressions first, then drifts; quiet about ratios that held. */
export function baselineLines(baselineCheck: BaselineCheck): string[] {
  const out = [
    `baseline ${baselineCheck.file} (recorded ${baselineCheck.recordedAt}): ${baselineCheck.checks.length} ratios compared, fail above ${FAIL_FACTOR}× the baseline`,
  ];
  const fmt = (check: RatioCheck) =>
    `${check.id} (${check.title}): ratio ${check.now.toFixed(3)} vs baseline ${check.baseline.toFixed(3)} — ${check.change.toFixed(2)}× ${check.change >= 1 ? 'worse' : 'better'}`;
  for (const r of baselineCheck.checks.filter((x) => x.verdict === 'REGRESSION')) out.push(`  REGRESSION ${fmt(r)}`);
  for (const r of baselineCheck.checks.filter((x) => x.verdict === 'overloaded'))
    out.push(
      `  overloaded ${fmt(r)} — not failed: a round trip between processes, measured at load over ${OVERLOAD_PER_CPU} per core`,
    );
  for (const r of baselineCheck.checks.filter((x) => x.verdict === 'peer-moved'))
    out.push(
      `  peer-moved ${fmt(r)} — not failed: against another project's code, whose speed swings with load; ours is gated by its floor ratio`,
    );
  for (const r of baselineCheck.checks.filter((x) => x.verdict === 'drift')) out.push(`  drift      ${fmt(r)}`);
  if (baselineCheck.notInBaseline.length > 0)
    out.push(`  not in the baseline yet: ${baselineCheck.notInBaseline.join(', ')}`);
  if (baselineCheck.regressions.length === 0)
    out.push(`  no ratio is more than ${FAIL_FACTOR}× worse than its baseline`);
  return out;
}

/**
 * The baseline check, with every regression measured twice: a step whose ratio came out more than 2× worse
 * runs once more, and the better of the two ratios counts. A real slowdown shows both times; a load spike
 * on a shared machine seldom does. Both measurements stay in the figure's details.
 */
export async function confirmedCheck(
  figures: Figure[],
  baseline: Baseline,
  file: string,
  cpus: number,
  stepOf: Map<string, () => Promise<Figure[]>>,
  progress: (s: string) => void,
): Promise<BaselineCheck> {
  const first = checkBaseline(figures, baseline, file, cpus);
  if (first.regressions.length === 0) return first;
  const again = new Set(
    first.regressions.map((id) => stepOf.get(id)).filter((f): f is () => Promise<Figure[]> => f !== undefined),
  );
  progress(`${first.regressions.join(', ')}: more than 2× worse than the baseline; measuring again to confirm`);
  for (const rerun of again) {
    for (const f of await rerun()) {
      const i = figures.findIndex((x) => x.id === f.id);
      const old = figures[i];
      if (old === undefined || !first.regressions.includes(f.id) || f.ratio === null || old.ratio === null) continue;
      const ratios = [old.ratio, f.ratio];
      figures[i] = {
        ...(f.ratio < old.ratio ? f : old),
        details: { ...(f.ratio < old.ratio ? f : old).details, confirmRatios: ratios },
      };
    }
  }
  return checkBaseline(figures, baseline, file, cpus);
}
