// Everything the checks share, resolved once per doctor run: the configuration, who we are, one process
// snapshot, and which processes are our daemons (the daemon program, judged as daemon/shared/signature.ts says).
import { homedir } from 'node:os';
import { type DaemonConfig, resolveConfig } from '../daemon/shared/config.js';
import { type DaemonSighting, recogniseDaemon } from '../daemon/shared/signature.js';
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
  /** our daemon processes of this user: the state directory each names, whether it is this one, and the proof */
  daemons: Array<ProcInfo & DaemonSighting>;
}

export async function doctorContext(opts: DoctorOptions = {}): Promise<DoctorContext> {
  const env = opts.env ?? process.env;
  const uid = fsPlatform.currentUid();
  const config = resolveConfig(env);
  const processes = await snapshotProcesses();
  const daemons: DoctorContext['daemons'] = [];
  for (const p of processes) {
    if (uid !== null && p.uid !== null && p.uid !== uid) continue;
    const seen = recogniseDaemon(p, config.stateDir);
    if (seen !== null) daemons.push({ ...p, ...seen });
  }
  return {
    env,
    config,
    home: env.HOME || homedir(),
    uid,
    probeMs: opts.probeMs ?? 2_000,
    processes,
    daemons,
  };
}
