// The Python fbuild daemon (DESIGN §10). The rig cannot install it (it is a Python package); it looks, in this
// order, in --target-path, in $FBUILD_RIG_FBUILD_PATH, in the released 1.3.27 source beside the project
// (../shared/third_party/fbuild-1.3.27/src, when it is there), else wherever the Python imports it from — and
// refuses clearly when `python3 -c "import fbuild"` fails. The folder found goes first on the clients'
// PYTHONPATH, so they run exactly the fbuild that was located. The client is
// fbuild's own `ensure_daemon_running()`; daemons are `python … -m fbuild.daemon.daemon` (the Rust 2.x
// executable `fbuild-daemon` too); state lives under $HOME/.fbuild/, which is the round's sandbox. Versions
// that read FBUILD_DAEMON_PORT get a free port of their own per round; 1.3.27 binds 127.0.0.1:9876 whatever
// the environment says, so a user's own running daemon of that version would answer the round's clients.
// There is no stop the rig can ask for across versions: the rig ends the round's daemons by pid (I7 not judged).
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { delimiter, dirname, join, resolve } from 'node:path';
import { projectRoot } from '../../src/paths.js';
import type { TargetLocation } from '../engine/strategy.js';
import type { Sandbox } from './sandbox.js';
import type { Located, TargetProfile } from './types.js';

/**
 * The interpreters to try: FBUILD_RIG_PYTHON (a venv's python), else python3 on PATH and then the system's
 * (a pyenv or conda python3 on PATH often lacks the Debian modules fbuild imports: ci/system-packages.sh)
 */
const pythons = (): string[] =>
  process.env.FBUILD_RIG_PYTHON ? [process.env.FBUILD_RIG_PYTHON] : [...new Set(['python3', '/usr/bin/python3'])];
const python = (t: TargetLocation): string => t.interpreter ?? pythons()[0]!;
const portFile = (sb: Sandbox): string => join(sb.root, 'fbuild-py.port');
const RELEASED = join('shared', 'third_party', 'fbuild-1.3.27', 'src');

/** The project's own checkout: this folder, or — in a git worktree (`.git` is a file) — the main one. */
function mainCheckout(): string {
  try {
    if (!statSync(join(projectRoot, '.git')).isFile()) return projectRoot;
    const gitdir = /^gitdir:\s*(.+)$/m.exec(readFileSync(join(projectRoot, '.git'), 'utf8'))?.[1]?.trim() ?? '';
    const m = /^(.*)[/\\]\.git[/\\]worktrees[/\\][^/\\]+$/.exec(resolve(projectRoot, gitdir));
    return m ? m[1]! : projectRoot;
  } catch {
    return projectRoot;
  }
}

/** Where to look first: --target-path, $FBUILD_RIG_FBUILD_PATH, the released source beside the project; else null. */
export function fbuildSearchPath(explicit: string | null | undefined, env = process.env): string | null {
  if (explicit) return resolve(explicit);
  if (env.FBUILD_RIG_FBUILD_PATH !== undefined) return env.FBUILD_RIG_FBUILD_PATH || null;
  for (const base of [projectRoot, mainCheckout()]) {
    const dir = resolve(base, '..', RELEASED);
    if (existsSync(join(dir, 'fbuild'))) return dir;
  }
  return null;
}

const withPath = (dir: string | null): string =>
  [dir, process.env.PYTHONPATH].filter((x): x is string => !!x).join(delimiter);

const PROBE = [
  'import os, fbuild',
  '# what the client imports (and with it the modules fbuild needs: psutil, requests …)',
  'import fbuild.daemon.client',
  '# the imported module says which version it is; the metadata may be of another copy installed elsewhere',
  'v = getattr(fbuild, "__version__", None)',
  'if v is None:',
  '    try:',
  '        from importlib.metadata import version; v = version("fbuild")',
  '    except Exception:',
  '        v = "unknown"',
  'print(v); print(os.path.dirname(os.path.abspath(fbuild.__file__)))',
].join('\n');

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => resolve(typeof addr === 'object' && addr !== null ? addr.port : 0));
    });
  });
}

export const fbuildPy: TargetProfile = {
  name: 'fbuild-py',
  summary:
    'the Python fbuild daemon (the released 1.3.27 beside the project, --target-path, or an installed fbuild): concurrent ensure_daemon_running()',
  defaultExpect: 'single',
  expectWhy: 'fbuild users expect one daemon; the 1.3.x start-up race (DESIGN §10) shows as duplicates (exit 1)',
  deadlineMs: 30_000,
  invariants: ['I1', 'I2', 'I3', 'I6'],
  async locate(opts): Promise<Located> {
    const dir = fbuildSearchPath(opts.path);
    const env = { ...process.env, PYTHONPATH: withPath(dir) };
    const whys: string[] = [];
    for (const py of pythons()) {
      const r = spawnSync(py, ['-c', PROBE], { encoding: 'utf8', timeout: 30_000, env });
      if (r.status === 0) {
        const [version = 'unknown', root = ''] = r.stdout.trim().split('\n');
        // found in the folder searched first, or wherever the Python's own path has it
        const source = dir !== null && resolve(root.trim()).startsWith(resolve(dir)) ? 'path' : 'system';
        const location: TargetLocation = {
          name: 'fbuild-py',
          version: version.trim(),
          source,
          root: root.trim(),
          interpreter: py,
        };
        return { installed: true, location };
      }
      whys.push(
        r.error
          ? `${py} could not be run (${r.error.message})`
          : `${py} cannot import fbuild${dir === null ? '' : ` from ${dir}`} (${(r.stderr ?? '').trim().split('\n').pop() ?? ''})`,
      );
    }
    return {
      installed: false,
      why: `${whys.join('; ')}; install it (pip install fbuild, and ci/system-packages.sh for the modules it needs), pass --target-path, or set FBUILD_RIG_PYTHON to a Python that has it`,
      installable: false,
    };
  },
  async prepare(sb) {
    writeFileSync(portFile(sb), String(await freePort()));
  },
  // the clients (and the daemons they start) import the fbuild that was located
  env: (sb, target) => ({
    FBUILD_DAEMON_PORT: readFileSync(portFile(sb), 'utf8').trim(),
    PYTHONPATH: withPath(dirname(target.root)),
  }),
  clients: (sb, target) => [
    {
      label: `${python(target)} -c "from fbuild.daemon.client import ensure_daemon_running; ensure_daemon_running()"`,
      file: python(target),
      args: ['-c', 'from fbuild.daemon.client import ensure_daemon_running; ensure_daemon_running()'],
      cwd: sb.ws,
    },
  ],
  daemonMatch: 'fbuild\\.daemon\\.daemon|(^|/)fbuild-daemon( |$)',
};
