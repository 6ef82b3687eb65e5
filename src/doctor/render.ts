// The checklist a person reads at a glance: one line per check (✓ ⚠ ✗, ℹ for notes), details and the fix
// under each problem, a last line that says what to do. NO_COLOR-free by design: symbols, not colours.
import { describeAction, type FixOutcome } from './fix/apply.js';
import type { DoctorReport } from './run.js';
import type { Finding, FixAction, Severity } from './types.js';

const MARK: Record<Severity, string> = { ok: '✓', info: 'ℹ', warning: '⚠', error: '✗' };
const WIDTH = 22;

function details(finding: Finding): string[] {
  return [
    `      [${finding.code}]`,
    ...finding.evidence.map((e) => `      ${e}`),
    ...(finding.fix ? [`      fix: ${finding.fix}`] : []),
  ];
}

export function renderChecklist(report: DoctorReport): string {
  const lines = [`fbuild doctor ${report.version} — state directory ${report.stateDir}`];
  for (const c of report.checks) {
    // a check with a problem leads with its worst finding; a healthy one with its summary (notes below it)
    const lead = c.findings.find((f) => f.severity === c.status && (c.status === 'warning' || c.status === 'error'));
    const head = lead?.message ?? (c.summary || c.findings[0]?.message || '');
    lines.push(`${MARK[c.status]} ${c.title.padEnd(WIDTH)}${head}`);
    if (lead) lines.push(...details(lead));
    for (const f of c.findings) if (f !== lead) lines.push(`    ${MARK[f.severity]} ${f.message}`, ...details(f));
  }
  const { warning, error, info } = report.counts;
  const tally = [
    error ? `${error} error(s)` : '',
    warning ? `${warning} warning(s)` : '',
    info ? `${info} note(s)` : '',
  ]
    .filter(Boolean)
    .join(', ');
  if (report.failed) lines.push(`doctor could not finish every check (see above) — ${report.durationMs} ms`);
  else if (report.healthy) lines.push(`healthy${tally ? ` (${tally})` : ''} — ${report.durationMs} ms`);
  else
    lines.push(
      `${tally} — \`fbuild doctor --fix\` repairs what it can prove is safe (\`--fix --dry-run\` shows the plan) — ${report.durationMs} ms`,
    );
  return lines.join('\n');
}

export function renderPlan(plan: FixAction[]): string {
  if (plan.length === 0) return 'fix plan: nothing doctor can repair automatically (see the fix lines above)';
  return ['fix plan (dry run: nothing was changed):', ...plan.map((a) => `  - ${describeAction(a)}`)].join('\n');
}

export function renderOutcomes(outcomes: FixOutcome[]): string {
  if (outcomes.length === 0) return 'fixing: nothing doctor can repair automatically';
  return ['fixing:', ...outcomes.map((o) => `  ${o.done ? '✓' : '-'} ${o.detail}`)].join('\n');
}
