// The processes a serial round starts — `fbuild monitor`/`fbuild deploy` clients of the product, or the naive
// duplicate daemons — with every stdout line stamped on arrival (wall ms), so the rig can tell when each
// monitor streamed again after a deploy.
import { type ChildProcess, spawn } from 'node:child_process';
import { entryPath } from '../../src/paths.js';

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
  let buf = '';
  let err = '';
  child.stdout!.on('data', (d: Buffer) => {
    buf += d.toString('utf8');
    let nl: number;
    while ((nl = buf.indexOf('\n')) >= 0) {
      lines.push({ wall: wallNow(), text: buf.slice(0, nl) });
      buf = buf.slice(nl + 1);
    }
  });
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

export function stopClients(clients: Client[]): Promise<unknown> {
  for (const c of clients) if (c.child.exitCode === null && c.child.signalCode === null) c.child.kill('SIGTERM');
  return Promise.all(
    clients.map((c) =>
      Promise.race([c.done, new Promise((r) => setTimeout(r, 5_000).unref())]).then(() => {
        if (c.child.exitCode === null && c.child.signalCode === null) c.child.kill('SIGKILL');
      }),
    ),
  );
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
