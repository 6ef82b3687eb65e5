// The reporter shape, after vitest's: one class per output format, a name for the registry, and hooks the
// writer calls. Reporters are pure renderers; index.ts owns the file system so every format is written the
// same (atomic) way.
import type { RunResult } from '../engine/results.js';

export interface Reporter {
  /** registry name, e.g. 'junit' */
  readonly name: string;
  /** file written inside the run directory */
  readonly fileName: string;
  /** the whole file for a finished run */
  render(result: RunResult): string;
}

export type ReporterClass = new () => Reporter;
