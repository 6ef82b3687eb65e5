// Prints the closing line CI reads — "N passed, N failed, N skipped" — totalled over every JUnit file under
// the given directory (vitest's and the rig's), so a run that executed no test is visible as "0 passed".
// reports/expected-red/ is left out: the gate's broken-build part must fail there, and checks that it did.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

function* xmlFiles(dir) {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) {
      if (name !== 'expected-red') yield* xmlFiles(p);
    } else if (name.endsWith('.xml')) yield p;
  }
}

let tests = 0,
  failed = 0,
  skipped = 0;
for (const file of xmlFiles(process.argv[2] ?? 'reports')) {
  const xml = readFileSync(file, 'utf8');
  // count testcases directly: suite attributes differ between producers
  for (const m of xml.matchAll(/<testcase\b[^>]*?(\/>|>([\s\S]*?)<\/testcase>)/g)) {
    tests++;
    const body = m[2] ?? '';
    if (/<(failure|error)\b/.test(body)) failed++;
    else if (/<skipped\b/.test(body)) skipped++;
  }
}
console.log(`${tests - failed - skipped} passed, ${failed} failed, ${skipped} skipped`);
