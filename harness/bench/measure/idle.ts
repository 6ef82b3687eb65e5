// §8 idle daemon: CPU time and resident memory of a daemon that nobody talks to. CPU comes from
// /proc/PID/schedstat (ns of run time) where the kernel has it, else utime+stime from /proc/PID/stat (clock
// ticks, USER_HZ = 100 on every mainstream Linux: 10 ms resolution); RSS and context switches from
// /proc/PID/status (src/process). Linux only (the twin for other platforms would use ps; not needed by CI here).
import { sleep } from '../../../src/clock.js';
import { readProcStat, readProcStatus, rssMB } from '../../../src/process/index.js';
import { cpuMs, tickMs } from '../../engine/proc-cpu.js';
import { type Figure, figure } from '../figures.js';

/** voluntary + involuntary context switches of the main thread (the event loop): a proxy for wake-ups */
function switches(pid: number): number | null {
  return readProcStatus(pid)?.switches ?? null;
}

export interface IdleSample {
  cpuMsPerSec: number;
  cpuSource: 'schedstat' | 'stat';
  /** utime+stime over the same window, ms (10 ms resolution) */
  tickCpuMs: number;
  rssMaxMB: number;
  rssEndMB: number;
  windowMs: number;
  /** context switches of the daemon's main thread per second over the window */
  wakeupsPerSec: number;
}

export async function sampleIdle(pid: number, settleMs: number, windowMs: number): Promise<IdleSample> {
  if (readProcStat(pid).kind === 'unavailable') throw new Error('the idle measurement reads /proc (Linux only)');
  await sleep(settleMs);
  const ticks = (): number => tickMs(pid) ?? NaN;
  const c0 = cpuMs(pid);
  const k0 = ticks();
  const w0 = switches(pid) ?? NaN;
  const t0 = performance.now();
  let rssMax = 0;
  let rss = 0;
  while (performance.now() - t0 < windowMs) {
    rss = rssMB(pid) ?? NaN;
    if (Number.isFinite(rss) && rss > rssMax) rssMax = rss;
    await sleep(250);
  }
  const c1 = cpuMs(pid);
  const k1 = ticks();
  const w1 = switches(pid) ?? NaN;
  const elapsed = performance.now() - t0;
  if (c0 === null || c1 === null) throw new Error(`daemon pid ${pid} exited while idle`);
  return {
    cpuMsPerSec: ((c1.ms - c0.ms) * 1000) / elapsed,
    cpuSource: c1.source,
    tickCpuMs: k1 - k0,
    rssMaxMB: rssMax,
    rssEndMB: rss,
    windowMs: elapsed,
    wakeupsPerSec: ((w1 - w0) * 1000) / elapsed,
  };
}

/** CPU ≈ 0 is read as: under 1 ms of CPU per second (0.1 % of one core). */
export const IDLE_CPU_LIMIT_MS_PER_S = 1;
export const IDLE_RSS_LIMIT_MB = 60;

/**
 * `cycleMs`: one whole cycle of the daemon's periodic work (BenchOptions.idle.cycleMs). The CPU figure is judged
 * only over a window that long: a shorter one holds a tick or not, and its figure is either of two numbers.
 */
export function idleFigures(sample: IdleSample, cycleMs: number): Figure[] {
  const whole = sample.windowMs >= cycleMs;
  const details = {
    ...sample,
    cycleMs,
    ...(whole
      ? {}
      : {
          notJudged: `the window (${Math.round(sample.windowMs)} ms) is shorter than one self-check cycle (${cycleMs} ms)`,
        }),
  };
  return [
    figure({
      id: 'idle.cpu',
      title: 'idle daemon CPU',
      unit: 'ms/s',
      value: sample.cpuMsPerSec,
      ref: { role: 'limit', label: '≈ 0, read as', value: IDLE_CPU_LIMIT_MS_PER_S },
      target: whole ? { kind: 'ratio-max', max: 1, text: `≤ ${IDLE_CPU_LIMIT_MS_PER_S} ms CPU/s` } : null,
      details,
    }),
    figure({ id: 'idle.wakeups', title: 'idle daemon main-thread wake-ups', unit: '/s', value: sample.wakeupsPerSec }),
    figure({
      id: 'idle.rss',
      title: 'idle daemon RSS (max)',
      unit: 'MB',
      value: sample.rssMaxMB,
      ref: { role: 'limit', label: 'max', value: IDLE_RSS_LIMIT_MB },
      target: { kind: 'ratio-max', max: 1, text: `≤ ${IDLE_RSS_LIMIT_MB} MB` },
    }),
  ];
}
