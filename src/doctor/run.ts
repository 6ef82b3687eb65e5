// Runs every check once, in checklist order, and collects a versioned report (schema in
// docs/doctor.md). A check that throws is reported as such and makes doctor itself fail (exit 2): a
// checklist with a hole in it must not read as healthy.
import { nowMs } from '../clock.js';
import { KIT_VERSION } from '../version.js';
import type { Check } from './checks/check.js';
import { daemonsCheck } from './checks/daemons.js';
import { endpointCheck } from './checks/endpoint.js';
import { foreignCheck } from './checks/foreign.js';
import { leftoversCheck } from './checks/leftovers.js';
import { ownerRecordCheck } from './checks/owner-record.js';
import { serialCheck } from './checks/serial.js';
import { stateDirCheck } from './checks/state-dir.js';
import { type DoctorOptions, doctorContext } from './context.js';
import type { CheckResult, Severity } from './types.js';

export const DOCTOR_SCHEMA = 1;

const CHECKS: readonly Check[] = [
  stateDirCheck,
  ownerRecordCheck,
  endpointCheck,
  daemonsCheck,
  leftoversCheck,
  serialCheck,
  foreignCheck,
];

export interface DoctorReport {
  schema: typeof DOCTOR_SCHEMA;
  kind: 'fbuild-doctor';
  version: string;
  stateDir: string;
  /** no warning and no error (info is fine) */
  healthy: boolean;
  /** a check could not run */
  failed: boolean;
  checks: CheckResult[];
  counts: Record<Severity, number>;
  durationMs: number;
}

const RANK: Record<Severity, number> = { ok: 0, info: 1, warning: 2, error: 3 };

export function worst(severities: Severity[]): Severity {
  return severities.reduce<Severity>((w, s) => (RANK[s] > RANK[w] ? s : w), 'ok');
}

export async function runDoctor(opts: DoctorOptions = {}): Promise<DoctorReport> {
  const t0 = nowMs();
  const ctx = await doctorContext(opts);
  const checks: CheckResult[] = [];
  let failed = false;
  for (const check of CHECKS) {
    const c0 = nowMs();
    try {
      const r = await check.run(ctx);
      checks.push({
        id: check.id,
        title: check.title,
        status: worst(r.findings.map((f) => f.severity)),
        summary: r.summary,
        findings: r.findings,
        durationMs: Math.round(nowMs() - c0),
      });
    } catch (err) {
      failed = true;
      checks.push({
        id: check.id,
        title: check.title,
        status: 'error',
        summary: `the check itself failed: ${(err as Error)?.message ?? String(err)}`,
        findings: [],
        durationMs: Math.round(nowMs() - c0),
      });
    }
  }
  const counts: Record<Severity, number> = { ok: 0, info: 0, warning: 0, error: 0 };
  for (const c of checks) for (const f of c.findings) counts[f.severity]++;
  return {
    schema: DOCTOR_SCHEMA,
    kind: 'fbuild-doctor',
    version: KIT_VERSION,
    stateDir: ctx.config.stateDir,
    healthy: !failed && counts.warning === 0 && counts.error === 0,
    failed,
    checks,
    counts,
    durationMs: Math.round(nowMs() - t0),
  };
}
