// The table of doctor's finding codes in docs/doctor.md is the users' reference: it must list exactly the codes
// doctor can report, each with the severity doctor gives it.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { FINDINGS } from '../../../src/doctor/findings.js';
import { projectRoot } from '../../../src/paths.js';

it('docs/doctor.md lists every finding code with its severity, and no other', () => {
  const page = readFileSync(join(projectRoot, 'docs', 'doctor.md'), 'utf8');
  const table = page.slice(page.indexOf('## Finding codes'));
  const rows = [...table.matchAll(/^\| `([A-Z_]+)` \| (ok|info|warning|error) \|/gm)].map((m) => [m[1], m[2]]);
  expect(Object.fromEntries(rows)).toEqual(
    Object.fromEntries(Object.entries(FINDINGS).map(([code, f]) => [code, f.severity])),
  );
  expect(rows.length).toBe(Object.keys(FINDINGS).length);
});
