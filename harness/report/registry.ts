// Reporter name → class, as vitest maps `--reporter=junit` to JUnitReporter.
import { HtmlReporter } from './html.js';
import { JsonReporter } from './json.js';
import { JunitReporter } from './junit.js';
import type { ReporterClass } from './reporter.js';

export const REPORTERS = {
  junit: JunitReporter,
  json: JsonReporter,
  html: HtmlReporter,
} as const satisfies Record<string, ReporterClass>;
