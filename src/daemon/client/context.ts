// Options of one client call, resolved once: the daemon config for the state directory, the environment a
// spawned daemon inherits, and the absolute deadline every step of the call shares.
import { nowMs } from '../../clock.js';
import { FbuildError } from '../../errors.js';
import { type DaemonConfig, resolveConfig } from '../shared/config.js';
import { type DaemonDefinition, FBUILD_DEFINITION } from '../shared/definition.js';

export interface Ctx {
  config: DaemonConfig;
  env: NodeJS.ProcessEnv;
  timeoutMs: number;
  deadline: number;
  /** how many more times this call starts a daemon that was killed during its start-up */
  respawnsLeft: number;
}

// Resolved configs are kept per (environment object, state dir): a tool calling ensureDaemon() before every
// request would otherwise re-derive the endpoint (a sha256) and re-validate every knob each time.
const configs = new WeakMap<NodeJS.ProcessEnv, Map<string, DaemonConfig>>();

function configFor(env: NodeJS.ProcessEnv, stateDir: string | undefined, daemon: DaemonDefinition): DaemonConfig {
  let byDir = configs.get(env);
  if (!byDir) configs.set(env, (byDir = new Map()));
  const which = daemon === FBUILD_DEFINITION ? '' : JSON.stringify([daemon.name, daemon.command]);
  const key = `${which}\0${stateDir ?? ''}\0${env.FBUILD_DAEMON_DIR ?? ''}\0${env.FBUILD_OWNERSHIP ?? ''}\0${env.FBUILD_LOCK ?? ''}\0${env.FBUILD_DAEMON_PROTOCOL ?? ''}`;
  let config = byDir.get(key);
  if (!config) byDir.set(key, (config = resolveConfig(env, stateDir, daemon)));
  return config;
}

export function clientContext(
  opts: { stateDir?: string; deadlineMs?: number; env?: NodeJS.ProcessEnv; daemon?: DaemonDefinition },
  defaultMs: number,
): Ctx {
  const env = opts.env ?? process.env;
  const timeoutMs = opts.deadlineMs ?? defaultMs;
  if (!Number.isFinite(timeoutMs) || timeoutMs <= 0)
    throw new FbuildError('BAD_OPTION', `deadlineMs must be a positive number, got ${String(timeoutMs)}`);
  return {
    config: configFor(env, opts.stateDir, opts.daemon ?? FBUILD_DEFINITION),
    env,
    timeoutMs,
    deadline: nowMs() + timeoutMs,
    respawnsLeft: 2,
  };
}
