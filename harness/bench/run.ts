// A whole bench run: every §8 figure measured side by side in one process run, in a fixed order —
// in-process lock timings first (nothing else running), then one live daemon for idle / ensure / status,
// then cold starts, then reproduce (the heaviest). A step that fails is recorded and the others still run.
// Every daemon is started in a fresh dir of the sandbox and stopped in `finally`, also on SIGINT/SIGTERM.
import { loadavg } from 'node:os';
import { ensureDaemon } from '../../src/index.js';
import { BENCH_SCHEMA, type BenchDocument, type StepError } from './document.js';
import type { Figure } from './figures.js';
import { machineInfo } from './machine.js';
import { coldFigures, sampleColdStart } from './measure/cold-start.js';
import { ensureFigures, sampleEnsure } from './measure/ensure.js';
import { idleFigures, sampleIdle } from './measure/idle.js';
import { lockFigures, sampleLocks } from './measure/lock.js';
import { reproduceFigures, runReproduceTimed } from './measure/reproduce.js';
import { sampleStatusProcess, statusFigures } from './measure/status-process.js';
import type { BenchOptions } from './options.js';
import { BenchSandbox } from './sandbox.js';
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
  const errors: StepError[] = [];
  const extraCaveats: string[] = [];
  const box = new BenchSandbox();

  const onSignal = (signal: NodeJS.Signals): void => {
    progress(`${signal}: stopping the bench's daemons`);
    void box.cleanup().finally(() => process.exit(signal === 'SIGINT' ? 130 : 143));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  const step = async (name: string, fn: () => Promise<Figure[]> | Figure[]): Promise<void> => {
    const s0 = performance.now();
    progress(`${name} …`);
    try {
      figures.push(...(await fn()));
      progress(`${name}: done in ${((performance.now() - s0) / 1000).toFixed(1)} s`);
    } catch (err) {
      errors.push({ step: name, message: (err as Error).message });
      progress(`${name}: FAILED: ${(err as Error).message}`);
    }
  };

  try {
    const l = opts.lock;
    await step(`lock acquire+release (${l.rounds * l.cheapPerRound} × owner-record/O_EXCL, ${l.rounds * l.properPerRound} × proper-lockfile, interleaved)`, () =>
      lockFigures(sampleLocks(l)),
    );

    // one live daemon: idle first (right after start), then the in-process and whole-process client figures
    const stateDir = box.dir();
    let daemonPid: number | null = null;
    await step('start a daemon', async () => {
      daemonPid = (await ensureDaemon({ stateDir, deadlineMs: 15_000 })).identity.pid;
      return [];
    });
    if (daemonPid !== null) {
      const pid: number = daemonPid;
      await step(`idle daemon pid ${pid} (${opts.idle.sampleMs} ms)`, async () => idleFigures(await sampleIdle(pid, opts.idle.settleMs, opts.idle.sampleMs)));
      const e = opts.ensure;
      await step(`ensureDaemon() vs connect+round trip (${e.rounds * e.perRound} each, interleaved)`, async () => ensureFigures(await sampleEnsure(stateDir, box.dir(), e)));
      await step(`\`fbuild daemon status\` vs \`node -e 0\` (${opts.status.spawns} spawns each, alternating)`, async () =>
        statusFigures(await sampleStatusProcess(stateDir, opts.status.spawns)),
      );
    }
    await box.stopDaemonsOf(stateDir);

    await step(`cold start, ${opts.cold.clients} concurrent clients (${opts.cold.repeats} repeats)`, async () => {
      const s = await sampleColdStart(box, opts.cold, progress);
      const skew = Math.max(...s.runs.map((r) => r.skewMax));
      extraCaveats.push(
        `cold start: clients are released by a timer barrier; the last one woke up to ${skew.toFixed(1)} ms after the release instant, and that delay is inside its served time.`,
      );
      return coldFigures(s, opts.cold.clients);
    });

    await step(`reproduce --workers ${opts.reproduce.workers}${opts.reproduce.rounds === null ? '' : ` --rounds ${opts.reproduce.rounds}`}`, async () => {
      const r = await runReproduceTimed(box, opts.reproduce, progress);
      if (r.exitCode !== 0) extraCaveats.push(`reproduce exited ${r.exitCode}: its expectation did not hold in this run (the wall time is still reported).`);
      return reproduceFigures(r, opts.reproduce);
    });
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
    errors,
    caveats: [...caveats(opts, machine), ...extraCaveats],
    outDir: target.dir,
  };
  const file = writeBench(doc, target);
  return { doc, file };
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
  if (opts.quick) out.push('--quick: few iterations, so medians are noisy; reproduce ran fewer rounds than its target is defined for, so it is shown as INFO.');
  return out;
}
