// Everything the checks share, resolved once per doctor run: the configuration, who we are, one process
// snapshot, the owner lock's state, and which processes are our daemons.
import { homedir } from 'node:os';
import { type DaemonConfig, resolveConfig } from '../daemon/shared/config.js';
import { DAEMON_MARKER } from '../daemon/shared/signature.js';
import { fsPlatform } from '../fsutil/platform.js';
import { type ProcInfo, snapshotProcesses } from './processes.js';

export interface DoctorOptions {
  env?: NodeJS.ProcessEnv;
  /** how long the endpoint check waits for the daemon's handshake (default 2 s) */
  probeMs?: number;
}

export interface DoctorContext {
  env: NodeJS.ProcessEnv;
  config: DaemonConfig;
  home: string;
  uid: number | null;
  probeMs: number;
  processes: ProcInfo[];
  /** our daemon processes of this user, each with the state directory its argv names */
  daemons: Array<ProcInfo & { stateDir: string }>;
}

export function stateDirOf(argv: readonly string[]): string | null {
  if (!argv.includes(DAEMON_MARKER)) return null;
  return argv.find((a) => a.startsWith('--state-dir='))?.slice('--state-dir='.length) ?? null;
}

export async function doctorContext(o: DoctorOptions = {}): Promise<DoctorContext> {
  const env = o.env ?? process.env;
  const uid = fsPlatform.currentUid();
  const processes = await snapshotProcesses();
  const daemons: DoctorContext['daemons'] = [];
  for (const p of processes) {
    const dir = stateDirOf(p.argv);
    if (dir !== null && (uid === null || p.uid === null || p.uid === uid)) daemons.push({ ...p, stateDir: dir });
  }
  return {
    env,
    config: resolveConfig(env),
    home: env.HOME || homedir(),
    uid,
    probeMs: o.probeMs ?? 2_000,
    processes,
    daemons,
  };
}
