// pnpm lint: no single-letter parameter names in src/, harness/ and fixtures/ (STYLE: a name says what the
// value is). Biome has no such rule, so this walks the TypeScript syntax tree of every .ts/.mjs file there and
// reports each parameter of a function declaration, method, constructor, accessor, function expression or arrow
// function whose name — or, when destructured, any bound name — is one character. Exempt: a lone `_` (an unused
// parameter) and one-line lambdas (`(p) => p.name`), where the whole function is in view at once.
// Usage: node scripts/check-param-names.mjs [--root DIR]   (DIR defaults to the repository root)
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const SCANNED = ['src', 'harness', 'fixtures'];

function parseRoot(argv) {
  const at = argv.indexOf('--root');
  if (at === -1) return join(dirname(fileURLToPath(import.meta.url)), '..');
  const root = argv[at + 1];
  if (!root) {
    process.stderr.write('check-param-names: --root needs a directory\n');
    process.exit(2);
  }
  return root;
}

function* sourceFiles(dir) {
  let names;
  try {
    names = readdirSync(dir).sort();
  } catch (err) {
    if (err.code === 'ENOENT') return;
    throw err;
  }
  for (const name of names) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) {
      if (name !== 'node_modules' && name !== 'dist') yield* sourceFiles(path);
    } else if (name.endsWith('.ts') || name.endsWith('.mjs')) yield path;
  }
}

const isLambda = (node) => ts.isArrowFunction(node) || ts.isFunctionExpression(node);

const isChecked = (node) =>
  ts.isFunctionDeclaration(node) ||
  ts.isMethodDeclaration(node) ||
  ts.isConstructorDeclaration(node) ||
  ts.isGetAccessorDeclaration(node) ||
  ts.isSetAccessorDeclaration(node) ||
  isLambda(node);

function onOneLine(node, source) {
  const start = source.getLineAndCharacterOfPosition(node.getStart(source)).line;
  return start === source.getLineAndCharacterOfPosition(node.getEnd()).line;
}

// The names a parameter binds: `x`, or every name inside `{ a, b: [c, ...d] }`.
function* boundNames(name) {
  if (ts.isIdentifier(name)) {
    yield name;
    return;
  }
  for (const element of name.elements) {
    if (!ts.isOmittedExpression(element)) yield* boundNames(element.name);
  }
}

function describeFunction(node, source) {
  if (ts.isConstructorDeclaration(node)) return 'constructor';
  if (node.name) return node.name.getText(source);
  const parent = node.parent;
  if ((ts.isVariableDeclaration(parent) || ts.isPropertyAssignment(parent)) && parent.name) {
    return parent.name.getText(source);
  }
  if (ts.isCallExpression(parent) || ts.isNewExpression(parent)) {
    const callee = parent.expression;
    if (ts.isIdentifier(callee)) return `a callback of ${callee.text}()`;
    if (ts.isPropertyAccessExpression(callee)) return `a callback of .${callee.name.text}()`;
  }
  return 'an anonymous function';
}

function findingsIn(path, root) {
  const text = readFileSync(path, 'utf8');
  const source = ts.createSourceFile(path, text, ts.ScriptTarget.Latest, true);
  const found = [];
  const visit = (node) => {
    if (isChecked(node) && !(isLambda(node) && onOneLine(node, source))) {
      for (const param of node.parameters) {
        for (const id of boundNames(param.name)) {
          if (id.text.length !== 1 || id.text === '_') continue;
          const { line, character } = source.getLineAndCharacterOfPosition(id.getStart(source));
          const where = `${relative(root, path)}:${line + 1}:${character + 1}`;
          found.push(`${where}  parameter '${id.text}' of ${describeFunction(node, source)}`);
        }
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

const root = parseRoot(process.argv.slice(2));
let files = 0;
const findings = [];
for (const top of SCANNED) {
  for (const path of sourceFiles(join(root, top))) {
    files++;
    findings.push(...findingsIn(path, root));
  }
}
if (findings.length > 0) {
  process.stdout.write(`${findings.join('\n')}\n`);
  process.stderr.write(`check-param-names: ${findings.length} single-letter parameter name(s)\n`);
  process.exit(1);
}
process.stdout.write(`check-param-names: ${files} files, no single-letter parameter names\n`);
