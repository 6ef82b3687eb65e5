// Watching what a daemon's memory does while a fault's client works it: its resident set (src/process) sampled
// until the work is done, or until it has grown past the fault's bound — the fault then stops at once (and may
// kill the daemon) rather than let a daemon that holds what it should stream eat the machine.
import { rssMB } from '../../../src/process/index.js';
import { until } from '../../engine/until.js';

export interface RssWatch {
  /** highest RSS seen, MiB */
  peakMB: number;
  /** it grew more than the bound over the base */
  over: boolean;
  /** the process went away meanwhile */
  gone: boolean;
  /** neither done nor over within the guard */
  timedOut: boolean;
}

/** Samples `pid`'s RSS every 50 ms until `done()`, growth over `baseMB` past `boundMB`, its exit, or `guardMs`. */
export async function watchRss(
  pid: number,
  baseMB: number,
  boundMB: number,
  done: () => boolean,
  guardMs: number,
): Promise<RssWatch> {
  const w: RssWatch = { peakMB: baseMB, over: false, gone: false, timedOut: false };
  const held = await until(
    () => {
      const rss = rssMB(pid);
      if (rss === null) return (w.gone = true);
      w.peakMB = Math.max(w.peakMB, rss);
      return (w.over = w.peakMB - baseMB > boundMB) || done();
    },
    guardMs,
    50,
  );
  w.timedOut = !held;
  return w;
}
