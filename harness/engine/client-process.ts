// A client process the rig starts outside its worker pool — `fbuild monitor` / `fbuild deploy` of the product,
// a naive duplicate daemon — with every stdout line stamped on arrival (the shared monotonic clock, as events
// are), so a scenario can tell when a monitor streamed again after a deploy. What it ended with is read as a
// user's script would: the exit code and the coded error (`fbuild: … [CODE]` on stderr, or the `--json` document
// on stdout), never the wording.
import { type ChildProcess, spawn } from 'node:child_process';
import { monoNs } from '../../src/clock.js';
import { eachLine } from './lines.js';

export interface Client {
  child: ChildProcess;
  /** mono: monotonic ns on arrival, the clock of events' `mono` */
  lines: Array<{ mono: bigint; text: string }>;
  stderr(): string;
  /** the exit code (null: ended by a signal) */
  done: Promise<number | null>;
}

/** Runs `node <argv…>`. */
export function startClient(argv: string[], env: NodeJS.ProcessEnv): Client {
  const child = spawn(process.execPath, argv, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: Client['lines'] = [];
  let err = '';
  eachLine(child.stdout!, (text) => lines.push({ mono: monoNs(), text }));
  child.stderr!.on('data', (d: Buffer) => void (err += d.toString('utf8')));
  const done = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
  return { child, lines, stderr: () => err, done };
}

/** Its exit code, or 'hung' when it has not exited after `ms` (a hang guard: it does not keep the rig alive). */
export function exitWithin(client: Client, ms: number): Promise<number | null | 'hung'> {
  return Promise.race([client.done, new Promise<'hung'>((r) => setTimeout(() => r('hung'), ms).unref())]);
}

/** The stable code of the error a product CLI ended with: the `[CODE]` its last error line ends with. */
export function errorCode(client: Client): string | null {
  const lines = client.stderr().trimEnd().split('\n');
  return /\[([A-Z][A-Z0-9_]*)\]$/.exec(lines.at(-1) ?? '')?.[1] ?? null;
}

/** The `--json` document a product CLI printed on stdout, or null when there is none. */
export function jsonOutput(client: Client): Record<string, unknown> | null {
  try {
    const doc = JSON.parse(client.lines.map((l) => l.text).join('\n')) as unknown;
    return typeof doc === 'object' && doc !== null ? (doc as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}
