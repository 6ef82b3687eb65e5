// What one bench run collects as its steps run: the figures and growth curves, the errors of steps that
// failed (the others still run), caveats found on the way, and for each figure how to measure it again (a
// regression must show twice before it fails the gate: run.ts).
import { loadavg } from 'node:os';
import type { StepError } from './document.js';
import type { Figure } from './figures.js';
import type { Curve } from './growth.js';
import type { StartupBreakdown } from './startup.js';

export const progress = (s: string): void => void process.stderr.write(`bench: ${s}\n`);

/** the 1-min load average, two decimals: recorded beside every figure, the CPU is often shared */
export const load1 = (): number => Math.round(loadavg()[0]! * 100) / 100;

export class BenchSession {
  readonly figures: Figure[] = [];
  readonly curves: Curve[] = [];
  readonly errors: StepError[] = [];
  readonly caveats: string[] = [];
  startup: Array<{ clients: number } & StartupBreakdown> | undefined;
  /** which step made each figure, as a function that measures it again */
  readonly again = new Map<string, () => Promise<Figure[]>>();

  /** Runs one measurement; a failure is recorded as a step error, never thrown. */
  async measure(name: string, fn: () => Promise<Figure[]> | Figure[]): Promise<Figure[] | null> {
    const s0 = performance.now();
    progress(`${name} …`);
    try {
      const measured = await fn();
      // the load right after measuring, beside each figure
      const load = load1();
      const got = measured.map((f) => ({ ...f, load1: load }));
      progress(`${name}: done in ${((performance.now() - s0) / 1000).toFixed(1)} s (load ${load})`);
      return got;
    } catch (err) {
      this.errors.push({ step: name, message: (err as Error).message });
      progress(`${name}: FAILED: ${(err as Error).message}`);
      return null;
    }
  }

  /** A step of the run: its figures are kept, and it can be measured again to confirm a regression. */
  async step(name: string, fn: () => Promise<Figure[]> | Figure[]): Promise<void> {
    const got = await this.measure(name, fn);
    if (got === null) return;
    this.figures.push(...got);
    const again = async () => (await this.measure(`${name} (again, to confirm)`, fn)) ?? [];
    for (const f of got) this.again.set(f.id, again);
  }
}
