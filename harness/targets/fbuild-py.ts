// The Python fbuild daemon (DESIGN §10), for users who have fbuild installed: the rig cannot install it
// (it is a Python package), so it refuses clearly when `python3 -c "import fbuild"` fails. The client is
// fbuild's own `ensure_daemon_running()`; daemons are `python … -m fbuild.daemon.daemon` (the Rust 2.x
// executable `fbuild-daemon` too); state lives under $HOME/.fbuild/, which is the round's sandbox. Versions
// that read FBUILD_DAEMON_PORT get a free port of their own per round; 1.3.27 binds 127.0.0.1:9876 whatever
// the environment says, so a user's own running daemon of that version would answer the round's clients.
// There is no stop the rig can ask for across versions: the rig ends the round's daemons by pid (I7 not judged).
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import type { Sandbox } from './sandbox.js';
import type { TargetProfile } from './types.js';

/** the interpreter: FBUILD_RIG_PYTHON (a venv's python), else python3 on PATH */
const python = (): string => process.env.FBUILD_RIG_PYTHON || 'python3';
const portFile = (sb: Sandbox): string => join(sb.root, 'fbuild-py.port');

const PROBE = [
  'import os, fbuild',
  'try:',
  '    from importlib.metadata import version; v = version("fbuild")',
  'except Exception:',
  '    v = getattr(fbuild, "__version__", "unknown")',
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
  summary: 'the Python fbuild daemon, if `python3 -c "import fbuild"` works: concurrent ensure_daemon_running()',
  defaultExpect: 'single',
  expectWhy: 'fbuild users expect one daemon; the 1.3.x start-up race (DESIGN §10) shows as duplicates (exit 1)',
  deadlineMs: 30_000,
  invariants: ['I1', 'I2', 'I3', 'I6'],
  async locate() {
    const r = spawnSync(python(), ['-c', PROBE], { encoding: 'utf8', timeout: 30_000 });
    if (r.status !== 0) {
      const why = r.error
        ? `${python()} could not be run (${r.error.message})`
        : `${python()} cannot import fbuild (${(r.stderr ?? '').trim().split('\n').pop() ?? ''})`;
      return {
        installed: false,
        why: `${why}; install it (pip install fbuild) or set FBUILD_RIG_PYTHON to a Python that has it`,
        installable: false,
      };
    }
    const [version = 'unknown', root = ''] = r.stdout.trim().split('\n');
    return {
      installed: true,
      location: { name: 'fbuild-py', version: version.trim(), source: 'system', root: root.trim() },
    };
  },
  async prepare(sb) {
    writeFileSync(portFile(sb), String(await freePort()));
  },
  env: (sb) => ({ FBUILD_DAEMON_PORT: readFileSync(portFile(sb), 'utf8').trim() }),
  clients: (sb) => [
    {
      label: `${python()} -c "from fbuild.daemon.client import ensure_daemon_running; ensure_daemon_running()"`,
      file: python(),
      args: ['-c', 'from fbuild.daemon.client import ensure_daemon_running; ensure_daemon_running()'],
      cwd: sb.ws,
    },
  ],
  daemonMatch: 'fbuild\\.daemon\\.daemon|(^|/)fbuild-daemon( |$)',
};
