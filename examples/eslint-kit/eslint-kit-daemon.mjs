// eslint-kit's daemon program: keeps the ESLint of each project loaded and runs eslint's own CLI for every `lint`
// request, so output and exit codes are eslint's. The kit's client starts it once per state directory.
//
// Which eslint: the one `eslint/package.json` resolves to from the client's working directory, as `eslint`
// in that directory (and eslint_d) would find it. Its CLI module is loaded once per eslint directory + version.
// eslint's CLI works on the process (its cwd, process.stdout/stderr), so requests run one at a time: each changes
// into the client's directory, captures what eslint writes, and streams it back as events of its run.
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { format } from 'node:util';
import { DaemonRuntime } from 'fbuild-daemon-kit';

/** the most characters one event carries: far below the kit's frame limit */
const CHUNK = 256 * 1024;

/** `<eslint dir>@<version>` → the loaded eslint: its CLI and chalk (the formatters' colours) */
const loaded = new Map();
let queue = Promise.resolve();

function resolveEslint(cwd) {
  let pkgPath;
  try {
    pkgPath = createRequire(join(cwd, 'noop.js')).resolve('eslint/package.json');
  } catch {
    const err = new Error(`eslint-kit: no eslint found from ${cwd} (install eslint in the project)`);
    err.code = 'ESLINT_NOT_FOUND';
    throw err;
  }
  const base = dirname(pkgPath);
  const { version } = JSON.parse(readFileSync(pkgPath, 'utf8'));
  return { base, version };
}

function loadEslint(cwd) {
  const { base, version } = resolveEslint(cwd);
  const key = `${base}@${version}`;
  let entry = loaded.get(key);
  if (!entry) {
    const req = createRequire(join(base, 'package.json'));
    // eslint's package exports do not list lib/cli.js; a file path is not subject to them (eslint_d does the same)
    const cli = req(join(base, 'lib', 'cli.js'));
    let chalk = null;
    try {
      chalk = req('chalk');
    } catch {}
    entry = { base, version, cli, chalk };
    loaded.set(key, entry);
  }
  return entry;
}

/** What bin/eslint.js prints for an error that escapes the CLI (a broken config …), exit code 2. */
function fatalMessage(eslint, error) {
  let text;
  if (typeof error !== 'object' || error === null) text = String(error);
  else if (typeof error.messageTemplate === 'string') {
    try {
      const template = createRequire(join(eslint.base, 'package.json'))(
        join(eslint.base, 'messages', `${error.messageTemplate}.js`),
      );
      text = template(error.messageData || {});
    } catch {}
  }
  text ??= typeof error?.stack === 'string' ? error.stack : format('%o', error);
  return `\nOops! Something went wrong! :(\n\nESLint: ${eslint.version}\n\n${text}\n`;
}

/** Runs eslint's CLI as `eslint <args>` in `cwd` with the process's output captured; one at a time. */
function capture(emit) {
  const saved = { stdout: process.stdout.write, stderr: process.stderr.write };
  for (const stream of ['stdout', 'stderr']) {
    process[stream].write = (chunk, encoding, callback) => {
      const text = typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
      for (let i = 0; i < text.length; i += CHUNK) emit(stream, text.slice(i, i + CHUNK));
      const done = typeof encoding === 'function' ? encoding : callback;
      if (typeof done === 'function') process.nextTick(done);
      return true;
    };
  }
  return () => {
    process.stdout.write = saved.stdout;
    process.stderr.write = saved.stderr;
  };
}

async function runEslint({ cwd, args, stdin, color }, emit) {
  let eslint;
  try {
    eslint = loadEslint(cwd);
  } catch (err) {
    emit('stderr', `${err.message}\n`);
    return 2;
  }
  if (eslint.chalk) eslint.chalk.level = color;
  process.chdir(cwd);
  const restore = capture(emit);
  try {
    return await eslint.cli.execute([process.execPath, 'eslint', ...args], stdin, true);
  } catch (err) {
    emit('stderr', fatalMessage(eslint, err));
    return 2;
  } finally {
    restore();
  }
}

function checkParams(params) {
  const { cwd, args, stdin = null, color = 0 } = params;
  if (typeof cwd !== 'string' || !Array.isArray(args) || !args.every((a) => typeof a === 'string'))
    throw Object.assign(new Error('lint needs { cwd: string, args: string[] }'), { code: 'BAD_REQUEST' });
  if (stdin !== null && typeof stdin !== 'string')
    throw Object.assign(new Error('lint: stdin must be a string or null'), { code: 'BAD_REQUEST' });
  return { cwd, args, stdin, color: Number.isInteger(color) ? color : 0 };
}

/** One lint: its output streamed as `{ run, stream, data }` events, then `{ run, exitCode }`. */
async function lint(params, ctx) {
  const request = checkParams(params);
  const run = randomUUID();
  const emit = (stream, data) => ctx.emit({ run, stream, data });
  const turn = queue.then(() => runEslint(request, emit));
  queue = turn.catch(() => {});
  const exitCode = await turn;
  return { run, exitCode, pid: process.pid };
}

async function status() {
  return { pid: process.pid, eslints: [...loaded.values()].map(({ base, version }) => ({ base, version })) };
}

const rt = DaemonRuntime.fromArgv(process.argv);
rt.register('lint', lint);
rt.register('eslint-status', status);
await rt.start();
await rt.exited;
