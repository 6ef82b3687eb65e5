// A whole bench run: every §8 figure and growth curve measured side by side in one process run (steps.ts
// says in which order). A step that fails is recorded and the others still run. Every daemon is stopped in
// `finally`, also on SIGINT/SIGTERM. The 1-min load average is recorded beside every figure: the CPU is often
// shared.
import { loadavg } from 'node:os';
import { onInterrupt } from '../engine/interrupt.js';
import { type BaselineCheck, confirmedCheck, readBaseline, writeBaseline } from './baseline.js';
import { BENCH_SCHEMA, type BenchDocument, caveats } from './document.js';
import { benchHtml } from './html.js';
import { machineInfo } from './machine.js';
import type { BenchOptions } from './options.js';
import { BenchSandbox } from './sandbox.js';
import { BenchSession, progress } from './session.js';
import { runSteps } from './steps.js';
import { resolveOutDir, writeBench } from './write.js';

export interface BenchOutcome {
  doc: BenchDocument;
  file: string;
}

export async function runBench(opts: BenchOptions): Promise<BenchOutcome> {
  // The rig's event log costs a write per client event; a user's command does not pay it, nor does the bench.
  delete process.env.FBUILD_EVENT_LOG;
  const started = new Date();
  const t0 = performance.now();
  const machine = machineInfo();
  const session = new BenchSession();
  const box = new BenchSandbox();
  const interrupt = onInterrupt("the bench's daemons", () => box.cleanup());
  let baseline: BaselineCheck | undefined;
  try {
    await runSteps({ session, opts, box });
    // before the clean-up: a regression is measured again to confirm it, and its step may start a daemon again
    baseline = await baselineCheck(opts, session, started, machine);
  } finally {
    if (!interrupt.interrupted) {
      await box.cleanup();
      interrupt.dispose();
    }
  }
  machine.loadAfter = loadavg();
  const target = resolveOutDir(opts.out, opts.reportsRoot, started);
  const doc: BenchDocument = {
    schema: BENCH_SCHEMA,
    kind: 'fbuild-bench',
    startedAt: started.toISOString(),
    durationMs: Math.round(performance.now() - t0),
    quick: opts.quick,
    machine,
    figures: session.figures,
    curves: session.curves,
    ...(session.startup ? { startup: session.startup } : {}),
    errors: session.errors,
    caveats: [...caveats(opts, machine), ...session.caveats],
    outDir: target.dir,
  };
  if (baseline) doc.baseline = baseline;
  const file = writeBench(doc, target, benchHtml);
  return { doc, file };
}

/** Records the baseline (--update-baseline), or checks this run's ratios against it; undefined when neither. */
async function baselineCheck(
  opts: BenchOptions,
  session: BenchSession,
  started: Date,
  machine: ReturnType<typeof machineInfo>,
): Promise<BaselineCheck | undefined> {
  if (opts.baseline === null) return undefined;
  if (opts.updateBaseline) {
    const b = writeBaseline(opts.baseline, session.figures, {
      recordedAt: started.toISOString(),
      quick: opts.quick,
      machine: { cpus: machine.cpus, node: machine.node, load1: machine.loadBefore[0] ?? 0 },
    });
    progress(`baseline ${opts.baseline} written: ${Object.keys(b.ratios).length} ratios`);
    return undefined;
  }
  const b = readBaseline(opts.baseline);
  if (b) return confirmedCheck(session.figures, b, opts.baseline, machine.cpus, session.again, progress);
  progress(`no baseline at ${opts.baseline}: nothing to compare (record one with --update-baseline)`);
  return undefined;
}
