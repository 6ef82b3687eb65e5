// A whole bench run: every §8 figure and growth curve measured side by side in one process run, in a fixed
// order — in-process lock and claim timings first (nothing else running), then one live daemon for idle /
// ensure / status, then the daemon under connections and concurrent installs, then cold starts and their
// growth, the contended lock, and reproduce (the heaviest). A step that fails is recorded and the others
// still run. Every daemon is started in a fresh dir of the sandbox and stopped in `finally`, also on
// SIGINT/SIGTERM. The 1-min load average is recorded beside every figure: the CPU is often shared.
import { loadavg } from 'node:os';
import { ensureDaemon } from '../../src/index.js';
import { type Baseline, type BaselineCheck, checkBaseline, readBaseline, writeBaseline } from './baseline.js';
import { BENCH_SCHEMA, type BenchDocument, type StepError } from './document.js';
import type { Figure } from './figures.js';
import type { Curve } from './growth.js';
import { benchHtml } from './html.js';
import { machineInfo } from './machine.js';
import { claimFigures, sampleClaims } from './measure/claim.js';
import { coldGrowthCurves, coldGrowthFigures, sampleColdGrowth } from './measure/cold-growth.js';
import { coldFigures, sampleColdStart } from './measure/cold-start.js';
import { connectionCurves, connectionFigures, sampleConnections, sampleLimit } from './measure/connections.js';
import { contentionCurves, contentionFigures, sampleContention } from './measure/contention.js';
import { ensureFigures, sampleEnsure } from './measure/ensure.js';
import { idleFigures, sampleIdle } from './measure/idle.js';
import { installFigures, sampleInstall } from './measure/install.js';
import { lockFigures, sampleLocks } from './measure/lock.js';
import { reproduceFigures, runReproduceTimed } from './measure/reproduce.js';
import { sampleStatusProcess, statusFigures } from './measure/status-process.js';
import type { BenchOptions } from './options.js';
import { BenchSandbox } from './sandbox.js';
import type { StartupBreakdown } from './startup.js';
import { resolveOutDir, writeBench } from './write.js';

export interface BenchOutcome {
  doc: BenchDocument;
  file: string;
}

const progress = (s: string): void => void process.stderr.write(`bench: ${s}\n`);

export async function runBench(opts: BenchOptions): Promise<BenchOutcome> {
  // The rig's event log costs a write per client event; a user's command does not pay it, nor does the bench.
  delete process.env.FBUILD_EVENT_LOG;
  const started = new Date();
  const t0 = performance.now();
  const machine = machineInfo();
  const figures: Figure[] = [];
  const curves: Curve[] = [];
  let startup: Array<{ clients: number } & StartupBreakdown> | undefined;
  const errors: StepError[] = [];
  const extraCaveats: string[] = [];
  const box = new BenchSandbox();

  const onSignal = (signal: NodeJS.Signals): void => {
    progress(`${signal}: stopping the bench's daemons`);
    void box.cleanup().finally(() => process.exit(signal === 'SIGINT' ? 130 : 143));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  // which step made each figure, and how to run that step again (a regression must show twice, below)
  const stepOf = new Map<string, () => Promise<Figure[]>>();
  const measure = async (name: string, fn: () => Promise<Figure[]> | Figure[]): Promise<Figure[] | null> => {
    const s0 = performance.now();
    progress(`${name} …`);
    try {
      const measured = await fn();
      // the load right after measuring, beside each figure: the CPU is often shared
      const load1 = Math.round(loadavg()[0]! * 100) / 100;
      const got = measured.map((f) => ({ ...f, load1 }));
      progress(`${name}: done in ${((performance.now() - s0) / 1000).toFixed(1)} s (load ${load1})`);
      return got;
    } catch (err) {
      errors.push({ step: name, message: (err as Error).message });
      progress(`${name}: FAILED: ${(err as Error).message}`);
      return null;
    }
  };
  const step = async (name: string, fn: () => Promise<Figure[]> | Figure[]): Promise<void> => {
    const got = await measure(name, fn);
    if (got === null) return;
    figures.push(...got);
    const again = async () => (await measure(`${name} (again, to confirm)`, fn)) ?? [];
    for (const f of got) stepOf.set(f.id, again);
  };
  const on = (s: Parameters<BenchOptions['steps']['has']>[0]) => opts.steps.has(s);
  const load1 = () => Math.round(loadavg()[0]! * 100) / 100;

  try {
    const l = opts.lock;
    if (on('lock'))
      await step(
        `lock acquire+release (${l.rounds * l.cheapPerRound} × owner-record/O_EXCL, ${l.rounds * l.properPerRound} × proper-lockfile, interleaved)`,
        () => lockFigures(sampleLocks(l)),
      );
    if (on('claim'))
      await step('ownership claim per mechanism, and the floors', async () =>
        claimFigures(await sampleClaims(box, opts.claim)),
      );

    // one live daemon: idle first (right after start), then the in-process and whole-process client figures
    if (on('daemon')) {
      const stateDir = box.dir();
      let daemonPid: number | null = null;
      await step('start a daemon', async () => {
        daemonPid = (await ensureDaemon({ stateDir, deadlineMs: 15_000 })).identity.pid;
        return [];
      });
      if (daemonPid !== null) {
        const pid: number = daemonPid;
        await step(`idle daemon pid ${pid} (${opts.idle.sampleMs} ms)`, async () =>
          idleFigures(await sampleIdle(pid, opts.idle.settleMs, opts.idle.sampleMs)),
        );
        const e = opts.ensure;
        await step(`ensureDaemon() vs connect+round trip (${e.rounds * e.perRound} each, interleaved)`, async () =>
          ensureFigures(await sampleEnsure(stateDir, box.dir(), e)),
        );
        await step(
          `\`fbuild daemon status\` vs \`node -e 0\` (${opts.status.spawns} spawns each, alternating)`,
          async () => statusFigures(await sampleStatusProcess(stateDir, opts.status.spawns)),
        );
      }
      await box.stopDaemonsOf(stateDir);
    }

    if (on('connections'))
      await step(
        `daemon with ${opts.connections.counts.join(', ')} open connections, and at its connection limit`,
        async () => {
          const points = await sampleConnections(box, opts.connections, progress);
          curves.push(...connectionCurves(points, load1()));
          return connectionFigures(points, await sampleLimit(box));
        },
      );
    if (on('install'))
      await step(
        `install of one archive by ${opts.install.clients} concurrent clients vs one (${opts.install.repeats} repeats)`,
        async () => installFigures(await sampleInstall(box, opts.install)),
      );

    if (on('cold'))
      await step(`cold start, ${opts.cold.clients} concurrent clients (${opts.cold.repeats} repeats)`, async () => {
        const s = await sampleColdStart(box, opts.cold, progress);
        const skew = Math.max(...s.runs.map((r) => r.skewMax));
        extraCaveats.push(
          `cold start: clients are released by a timer barrier; the last one woke up to ${skew.toFixed(1)} ms after the release instant, and that delay is inside its served time.`,
        );
        return coldFigures(s, opts.cold.clients);
      });
    const g = opts.coldGrowth;
    if (on('cold-growth'))
      await step(
        `cold start growth, N = ${g.clients.join(', ')} × ${g.strategies.join(', ')} (${g.rounds} round(s) each)`,
        async () => {
          const s = await sampleColdGrowth(box, g, progress);
          curves.push(...coldGrowthCurves(s, load1()));
          startup = s.startup;
          for (const f of s.failed) errors.push({ step: 'cold start growth', message: f });
          return coldGrowthFigures(s);
        },
      );
    const c = opts.contention;
    if (on('contention'))
      await step(
        `contended lock, K = ${c.contenders.join(', ')} (${c.durationMs} ms per trial, ${c.repeats} repeat(s))`,
        async () => {
          const points = await sampleContention(box, c, progress);
          curves.push(...contentionCurves(points, load1()));
          return contentionFigures(points);
        },
      );

    if (on('reproduce'))
      await step(
        `reproduce --workers ${opts.reproduce.workers}${opts.reproduce.rounds === null ? '' : ` --rounds ${opts.reproduce.rounds}`}`,
        async () => {
          const r = await runReproduceTimed(box, opts.reproduce, progress);
          if (r.exitCode !== 0)
            extraCaveats.push(
              `reproduce exited ${r.exitCode}: its expectation did not hold in this run (the wall time is still reported).`,
            );
          return reproduceFigures(r, opts.reproduce);
        },
      );
  } finally {
    await box.cleanup();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
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
    figures,
    curves,
    ...(startup ? { startup } : {}),
    errors,
    caveats: [...caveats(opts, machine), ...extraCaveats],
    outDir: target.dir,
  };
  if (opts.baseline !== null) {
    if (opts.updateBaseline) {
      const b = writeBaseline(opts.baseline, figures, {
        recordedAt: started.toISOString(),
        quick: opts.quick,
        machine: { cpus: machine.cpus, node: machine.node, load1: machine.loadBefore[0] ?? 0 },
      });
      progress(`baseline ${opts.baseline} written: ${Object.keys(b.ratios).length} ratios`);
    } else {
      const b = readBaseline(opts.baseline);
      if (b) doc.baseline = await confirmedCheck(figures, b, opts.baseline, machine.cpus, stepOf);
      else progress(`no baseline at ${opts.baseline}: nothing to compare (record one with --update-baseline)`);
    }
  }
  const file = writeBench(doc, target, benchHtml);
  return { doc, file };
}

/**
 * The baseline check, with every regression measured twice: a step whose ratio came out more than 2× worse
 * runs once more, and the better of the two ratios counts. A real slowdown shows both times; a load spike
 * on a shared machine seldom does. Both measurements stay in the figure's details.
 */
async function confirmedCheck(
  figures: Figure[],
  b: Baseline,
  file: string,
  cpus: number,
  stepOf: Map<string, () => Promise<Figure[]>>,
): Promise<BaselineCheck> {
  const first = checkBaseline(figures, b, file, cpus);
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
  return checkBaseline(figures, b, file, cpus);
}

function caveats(opts: BenchOptions, m: ReturnType<typeof machineInfo>): string[] {
  const out = [
    'Ratios compare variants measured interleaved in this one run, so machine noise hits floor, peer and product alike; absolute numbers move with load and are not comparable across machines.',
    'Whole-process figures (status, cold start, reproduce) include fork/exec and module loading, timed from the parent on the monotonic clock.',
    'The ensureDaemon() floor is an echo server in its own process on the same endpoint kind as the daemon (one JSON line each way, no handshake crypto).',
  ];
  const busy = Math.max(m.loadBefore[0] ?? 0, m.loadAfter[0] ?? 0);
  if (busy > m.cpus)
    out.push(
      `The machine was busy: 1-min load average ${busy.toFixed(2)} on ${m.cpus} cpus. Process-spawn figures suffer most; re-run on a quiet machine before trusting a MISS there.`,
    );
  if (opts.quick)
    out.push(
      '--quick: few iterations, so medians are noisy; reproduce ran fewer rounds than its target is defined for, so it is shown as INFO.',
    );
  return out;
}
