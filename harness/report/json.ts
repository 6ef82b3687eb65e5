// results.json: the RunResult exactly as the rig built it, pretty-printed. The schema is documented in
// reports/README.md; this reporter adds nothing so that the file is the single source the others re-render from.
import type { RunResult } from '../engine/results.js';
import type { Reporter } from './reporter.js';

export class JsonReporter implements Reporter {
  readonly name = 'json';
  readonly fileName = 'results.json';

  render(result: RunResult): string {
    return JSON.stringify(result, null, 2) + '\n';
  }
}
