// The product a fault drives through its CLI, as a user's script would: this build's `fbuild` (dist/bin/fbuild.cjs),
// or — with FBUILD_RIG_PRODUCT=<dir> — the one of another build of this package in <dir> (its dist/ built), so a
// fault can be run against an older commit to show that it goes red there. The faults that use it start the
// round's daemon with that CLI (`fbuild daemon start`) before the workers are released, so the daemon under test is
// that build's too; the rig's workers and its own programs keep this build's client library, which must speak the
// same protocol (checked: a daemon of another protocol would be replaced by the workers, and is refused here).
// Outcomes are read as codes: the exit code against the CLI's table and the `--json` document's error code.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { CLI_EXIT, type DaemonIdentity, PROTOCOL_VERSION } from '../../../src/index.js';
import { cliEntry } from '../../../src/paths.js';
import { type Client, errorCode, exitWithin, jsonOutput, startClient } from '../../engine/client-process.js';
import { killAndWait, pidsOf } from '../../engine/kill.js';
import { until } from '../../engine/until.js';
import type { FaultContext } from '../types.js';

/** How a product CLI call ended: its exit code ('hung': not within its guard, then killed) and error code. */
export interface ProductRun {
  exit: number | null | 'hung';
  code: string | null;
  json: Record<string, unknown> | null;
}

/** The `fbuild` entry of the build FBUILD_RIG_PRODUCT names in `env`, else this build's. */
export function productCliFor(env: NodeJS.ProcessEnv): string {
  const other = env.FBUILD_RIG_PRODUCT;
  if (other === undefined || other === '') return cliEntry();
  // fbuild.mjs: builds before the CLI was bundled as CommonJS
  const entries = ['fbuild.cjs', 'fbuild.mjs'].map((name) => join(other, 'dist', 'bin', name));
  const entry = entries.find((e) => existsSync(e));
  if (entry === undefined)
    throw new Error(
      `FBUILD_RIG_PRODUCT=${other}: no ${entries.join(' or ')} (build that checkout first: node scripts/build.mjs)`,
    );
  return entry;
}

let cli: string | null = null;

/** The `fbuild` entry the faults run, resolved once per process. */
export function productCli(): string {
  cli ??= productCliFor(process.env);
  return cli;
}

/** The round's environment for a product client: its state dir and event log, plus `env`. */
function productEnv(fault: FaultContext, env: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    ...process.env,
    ...fault.ctx.env,
    ...env,
    FBUILD_DAEMON_DIR: fault.ctx.stateDir,
    FBUILD_EVENT_LOG: fault.ctx.eventLog,
  };
}

/** Starts `fbuild <args>` (tracked: killed by pid when the round ends). */
export function startProduct(fault: FaultContext, args: string[], env?: Record<string, string>): Client {
  const c = startClient([productCli(), ...args], productEnv(fault, env));
  fault.track(c.child);
  return c;
}

/** How `client` ended, within `guardMs` (a hang guard: past it the client is killed and called hung). */
export async function endOf(client: Client, guardMs: number): Promise<ProductRun> {
  const exit = await exitWithin(client, guardMs);
  if (exit === 'hung') await killAndWait(pidsOf([client.child]), 0, 'SIGKILL');
  const json = jsonOutput(client);
  const error = json?.error as { code?: unknown } | undefined;
  return { exit, json, code: typeof error?.code === 'string' ? error.code : errorCode(client) };
}

/** Runs `fbuild <args>` to its end (see endOf). */
export function runProduct(
  fault: FaultContext,
  args: string[],
  guardMs: number,
  env?: Record<string, string>,
): Promise<ProductRun> {
  return endOf(startProduct(fault, args, env), guardMs);
}

export interface ProductDaemon {
  pid: number;
  nonce: string;
}

/**
 * Starts the round's daemon with the product's CLI before the clients come (`fbuild daemon start --json`), so the
 * daemon under test is the product's. Returns it, or why it could not be started.
 */
export async function startProductDaemon(
  fault: FaultContext,
  guardMs: number,
  env?: Record<string, string>,
): Promise<ProductDaemon | string> {
  const r = await runProduct(fault, ['daemon', 'start', '--json'], guardMs, env);
  const d = r.json?.daemon as Partial<DaemonIdentity> | undefined;
  if (r.exit !== CLI_EXIT.ok || typeof d?.pid !== 'number' || typeof d.nonce !== 'string')
    return `\`fbuild daemon start\` failed: exit ${r.exit} [${r.code}]`;
  if (d.protocol !== PROTOCOL_VERSION)
    return `the product's daemon speaks protocol ${d.protocol}, the rig's clients ${PROTOCOL_VERSION}: they would replace it`;
  fault.note(`the round's daemon, started by ${productCli()}`, { daemon: d.pid, nonce: d.nonce });
  return { pid: d.pid, nonce: d.nonce };
}

/**
 * The serial leases the daemon still holds (`fbuild ports --json`: `held`), asked until there are none or `guardMs`
 * passes — a lease of a client that went away is released soon after, not at once. null: no answer as JSON.
 */
export async function leasesLeft(fault: FaultContext, guardMs: number): Promise<unknown[] | null> {
  let held: unknown[] | null = null;
  await until(
    async () => {
      const got = (await runProduct(fault, ['ports', '--json'], guardMs)).json?.held;
      held = Array.isArray(got) ? got : null;
      return held !== null && held.length === 0;
    },
    guardMs,
    500,
  );
  return held;
}
