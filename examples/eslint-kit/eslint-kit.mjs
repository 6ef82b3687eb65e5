#!/usr/bin/env node
// eslint-kit: eslint through a daemon that keeps it loaded, on the kit (a drop-in for eslint_d's everyday use).
//   eslint-kit [eslint options] files…        lint, output and exit code as `eslint` gives them
//   eslint-kit --stdin --stdin-filename F …   lint what arrives on stdin (with --fix-dry-run: the fixed text)
//   eslint-kit status | stop                  whether the daemon runs (and which eslints it holds); stop it
// The daemon (started on first use, one for every concurrent caller) lives in ESLINT_KIT_DIR, else
// FBUILD_DAEMON_DIR, else eslint-kit beside the kit's own default state directory. Every argument goes to eslint.
import { realpathSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
// the kit's client alone (one bundle): this process starts per lint, so it loads nothing of the daemon's side
import { defaultStateDir, probeDaemon, requestDaemon, stopDaemon } from 'fbuild-daemon-kit/client';

export const daemon = {
  name: 'eslint-kit',
  command: [process.execPath, fileURLToPath(new URL('./eslint-kit-daemon.mjs', import.meta.url))],
};

export function stateDirOf(env = process.env) {
  return env.ESLINT_KIT_DIR || env.FBUILD_DAEMON_DIR || join(dirname(defaultStateDir(env)), 'eslint-kit');
}

/** eslint's colours (chalk 4's supports-color) follow its stdout; the daemon's is a log file, so the client's decides */
function colorLevel(args, env = process.env) {
  if (args.includes('--no-color')) return 0;
  const force = env.FORCE_COLOR;
  if (force !== undefined)
    return force === '' || force === 'true' ? 1 : force === 'false' ? 0 : Math.min(Number(force) || 0, 3);
  const depth = process.stdout.isTTY ? process.stdout.getColorDepth() : 1;
  const level = depth >= 24 ? 3 : depth >= 8 ? 2 : depth >= 4 ? 1 : 0;
  return args.includes('--color') ? Math.max(level, 1) : level;
}

async function readStdin() {
  let text = '';
  process.stdin.setEncoding('utf8');
  for await (const chunk of process.stdin) text += chunk;
  return text;
}

/** Lints as `eslint <args>` in `cwd`: `{ stdout, stderr, exitCode }` of the daemon's run. */
export async function lint(args, { cwd = process.cwd(), stdin = null, stateDir = stateDirOf() } = {}) {
  const out = new Map();
  const onEvent = ({ run, stream, data }) => {
    const mine = out.get(run) ?? { stdout: '', stderr: '' };
    mine[stream] += data;
    out.set(run, mine);
  };
  // a lint that only reads may be sent again to the next daemon if this one goes away; one that writes may not
  const writes = args.some((a) => a === '--fix' || a.startsWith('--output-file') || a === '-o' || a === '--cache');
  const { result, spawned } = await requestDaemon(
    'lint',
    { cwd, args, stdin, color: colorLevel(args) },
    { stateDir, daemon, readOnly: !writes, deadlineMs: 10 * 60_000, onEvent },
  );
  // only the output of the run that answered: a run on a daemon that went away may have streamed part of its own
  const { stdout, stderr } = out.get(result.run) ?? { stdout: '', stderr: '' };
  return { stdout, stderr, exitCode: result.exitCode, pid: result.pid, spawned };
}

export async function status(stateDir = stateDirOf()) {
  const conn = await probeDaemon({ stateDir, daemon }, undefined, true); // authenticated: it takes requests
  if (!conn) return { running: false };
  try {
    const result = await conn.request('eslint-status', {}, { deadline: Date.now() + 5_000 });
    return { running: true, ...result };
  } finally {
    conn.close();
  }
}

export const stop = (stateDir = stateDirOf()) => stopDaemon({ stateDir, daemon });

async function main(argv) {
  const [first] = argv;
  if (argv.length === 1 && first === 'status') {
    const s = await status();
    const eslints = s.running ? s.eslints.map((e) => ` eslint ${e.version} (${e.base})`).join(',') : '';
    process.stdout.write(s.running ? `eslint-kit: running, pid ${s.pid}${eslints}\n` : 'eslint-kit: not running\n');
    return 0;
  }
  if (argv.length === 1 && first === 'stop') {
    const r = await stop();
    process.stdout.write(r.stopped ? `eslint-kit: stopped pid ${r.pid}\n` : 'eslint-kit: not running\n');
    return 0;
  }
  const stdin = argv.includes('--stdin') ? await readStdin() : null;
  const r = await lint(argv, { stdin });
  process.stdout.write(r.stdout);
  process.stderr.write(r.stderr);
  return r.exitCode;
}

if (process.argv[1] && realpathSync(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    process.exitCode = await main(process.argv.slice(2));
  } catch (err) {
    process.stderr.write(`eslint-kit: ${err.code ?? 'ERROR'}: ${err.message}\n`);
    process.exitCode = 2;
  }
}
