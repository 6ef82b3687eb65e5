import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import type { RequestContext } from '../../../../../src/daemon/server/handler.js';
import { FbuildError } from '../../../../../src/errors.js';

export type Route = (req: IncomingMessage, res: ServerResponse) => void;

/** A real HTTP server on 127.0.0.1:0 that counts requests per path. */
export interface TestServer {
  url(path: string): string;
  hits(path: string): number;
  close(): Promise<void>;
}

export async function startServer(routes: Record<string, Route>): Promise<TestServer> {
  const counts = new Map<string, number>();
  const sockets = new Set<Socket>();
  const server: Server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    counts.set(path, (counts.get(path) ?? 0) + 1);
    const route = routes[path];
    if (route === undefined) {
      res.writeHead(404).end();
      return;
    }
    route(req, res);
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: (path) => `http://127.0.0.1:${port}${path}`,
    hits: (path) => counts.get(path) ?? 0,
    close: async () => {
      if (!server.listening) return;
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export interface TestContext extends RequestContext {
  emitted: unknown[];
  logs: string[];
  controller: AbortController;
}

export function makeContext(overrides: Partial<Pick<RequestContext, 'fence'>> = {}): TestContext {
  const controller = new AbortController();
  const emitted: unknown[] = [];
  const logs: string[] = [];
  return {
    id: 'req-1',
    idempotencyKey: undefined,
    stateDir: '/nonexistent',
    signal: controller.signal,
    fence: overrides.fence ?? (() => {}),
    emit: (data) => emitted.push(data),
    log: (message) => logs.push(message),
    emitted,
    logs,
    controller,
  };
}

/** A fence that passes `passes` times and then reports lost ownership. */
export function fenceLostAfter(passes: number): () => void {
  let calls = 0;
  return () => {
    if (calls++ >= passes) throw new FbuildError('OWNERSHIP_LOST', 'test: ownership lost');
  };
}

/** Every file under `dir`, relative, sorted (directories are listed by their files). */
export async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries
    .filter((e) => !e.isDirectory())
    .map((e) => relative(dir, join(e.parentPath, e.name)))
    .sort();
}

export async function tempDir(prefix: string): Promise<{ path: string; remove(): Promise<void> }> {
  const path = await mkdtemp(join(tmpdir(), prefix));
  return { path, remove: () => rm(path, { recursive: true, force: true }) };
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
