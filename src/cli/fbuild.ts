#!/usr/bin/env node
// The `fbuild` executable's entry (bundled into dist/bin/fbuild.cjs). The hot daemon commands go straight to
// their module (hot.ts); everything else loads main.ts — the commander program where commands are
// registered — which runs on import. Where Node has a module compile cache (22.1+), it is switched on first:
// the second and later runs then skip compiling the bundle. Node 20 has none; the call is skipped there.
// The bundle is CommonJS (scripts/build.mjs says why), so this entry has no top-level await.
import module from 'node:module';
import { exitQuietlyOnEpipe } from './epipe.js';
import { parseHot, runHot } from './hot.js';

(module as { enableCompileCache?: () => unknown }).enableCompileCache?.();

/** What neither path caught (a missing chunk, a bug): printed whole, exit 1. */
function crashed(err: unknown): void {
  process.stderr.write(`fbuild: ${(err as Error)?.stack ?? String(err)}\n`);
  process.exitCode = 1;
}

const hot = parseHot(process.argv.slice(2));
if (hot === null) {
  import('./main.js').catch(crashed);
} else {
  exitQuietlyOnEpipe();
  runHot(hot).then((code) => {
    process.exitCode = code;
  }, crashed);
}
