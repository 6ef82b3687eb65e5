// The processes a serial round starts — `fbuild monitor`/`fbuild deploy` clients of the product, or the naive
// duplicate daemons — with every stdout line stamped on arrival (wall ms), so the rig can tell when each
// monitor streamed again after a deploy.
import { type ChildProcess, spawn } from 'node:child_process';
import { entryPath } from '../../src/paths.js';
import { killAndWait, pidsOf } from '../engine/kill.js';
import { eachLine } from '../engine/lines.js';

export interface Client {
  role: 'monitor' | 'deploy';
  child: ChildProcess;
  lines: Array<{ wall: number; text: string }>;
  stderr(): string;
  done: Promise<number | null>;
}

const wallNow = () => performance.timeOrigin + performance.now();

export function startClient(role: Client['role'], argv: string[], env: NodeJS.ProcessEnv): Client {
  const child = spawn(process.execPath, argv, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: Client['lines'] = [];
  let err = '';
  eachLine(child.stdout!, (text) => lines.push({ wall: wallNow(), text }));
  child.stderr!.on('data', (d: Buffer) => void (err += d.toString('utf8')));
  const done = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
  return { role, child, lines, stderr: () => err, done };
}

export function naiveArgs(role: Client['role'], port: string, image: string): string[] {
  return [
    entryPath('harness/programs/naive-port-daemon'),
    '--fbuild-naive-serial',
    '--port',
    port,
    '--role',
    role,
    '--image',
    image,
    '--ms',
    '600000',
  ];
}

/** SIGTERM (a monitor's Ctrl-C), 5 s to finish, then SIGKILL. */
export function stopClients(clients: Client[]): Promise<unknown> {
  return killAndWait(pidsOf(clients.map((c) => c.child)), 5_000, 'SIGTERM');
}

/** polls until probe() holds or ms pass; false on timeout */
export async function until(probe: () => boolean, ms: number): Promise<boolean> {
  const end = Date.now() + ms;
  while (!probe()) {
    if (Date.now() > end) return false;
    await new Promise((r) => setTimeout(r, 20));
  }
  return true;
}
