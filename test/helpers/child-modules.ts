// Child processes in these tests run the CURRENT source, not whatever dist/ happens to hold: the needed .ts
// files (the entry and everything it imports relatively) are transpiled into a private temp tree. No type
// check and no shared output directory, so parallel test files cannot race a build.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import ts from 'typescript';
import { projectRoot } from '../../src/paths.js';

/** Transpiles `src/…/x.ts` and its relative imports into `outDir`; returns the file URL of the entry's .js. */
export function transpileForChild(entryRel: string, outDir: string): string {
  writeFileSync(join(outDir, 'package.json'), '{"type":"module"}\n');
  const seen = new Set<string>();
  const queue = [resolve(projectRoot, entryRel)];
  while (queue.length > 0) {
    const file = queue.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    const source = readFileSync(file, 'utf8');
    const js = ts.transpileModule(source, {
      compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, verbatimModuleSyntax: false },
      fileName: file,
    }).outputText;
    const out = join(outDir, relative(projectRoot, file)).replace(/\.ts$/, '.js');
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, js);
    for (const m of source.matchAll(/from\s+'(\.{1,2}\/[^']+)\.js'/g)) queue.push(resolve(dirname(file), `${m[1]}.ts`));
  }
  return pathToFileURL(join(outDir, entryRel.replace(/\.ts$/, '.js'))).href;
}
